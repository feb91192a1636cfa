namespace Messaging.Templates;

/// <summary>A template rendered for one patient: what would be sent, and what it costs as SMS.</summary>
public sealed record RenderedTemplate
{
    /// <summary>The channel it was rendered for.</summary>
    public required MessageChannel Channel { get; init; }

    /// <summary>The SMS text or plain-text email body, values inserted as typed. Patient data.</summary>
    public required string Body { get; init; }

    /// <summary>The HTML email body with every value HTML-encoded, when the channel is email and the template has one. Patient data.</summary>
    public string? HtmlBody { get; init; }

    /// <summary>
    /// For SMS, the encoding and segments of the text the patient will receive (download links and, when
    /// <see cref="TemplateMessageRequest.AllowReply"/> is set, the reply link included) — what the send charges;
    /// <see langword="null"/> for email.
    /// </summary>
    public SmsSegmentInfo? Sms { get; init; }

    /// <summary>How many SMS parts it is sent in; 0 for email.</summary>
    public int Segments => Sms?.Segments ?? 0;

    /// <summary>The SMS credits a send charges (one per segment, R15); 0 for email.</summary>
    public int Credits => Sms?.Credits ?? 0;

    /// <summary>Counts only: the bodies are patient data.</summary>
    /// <returns>A description without patient data.</returns>
    public override string ToString() => $"RenderedTemplate {{ Channel = {Channel}, Segments = {Segments}, Credits = {Credits} }}";
}
