namespace Messaging.Templates;

/// <summary>How values are inserted into the output (R16).</summary>
internal enum RenderMode
{
    /// <summary>
    /// Plain text, for SMS and plain-text email: values are inserted exactly as given, so <c>St Mary's &amp; Co</c>
    /// stays as typed and the SMS segment count is that of what the patient reads.
    /// </summary>
    Text = 0,

    /// <summary>
    /// An HTML email body: every value is HTML-encoded (<c>&amp; &lt; &gt; " '</c>), so patient data cannot inject
    /// markup; the template's own text is staff-written HTML and is copied unchanged.
    /// </summary>
    Html = 1,
}
