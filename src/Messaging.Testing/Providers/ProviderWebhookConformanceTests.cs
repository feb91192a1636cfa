using System.Globalization;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Messaging.Testing.Providers;

/// <summary>
/// The conformance suite of an <see cref="IProviderWebhookHandler"/> (R27): it serves the SDK's routes; signed status
/// reports map to the SDK's statuses so they move a message only forward (R13); inbound texts, STOP and START among
/// them, reach the SDK as the patient sent them (R14); unsigned, forged, tampered or replayed requests are refused;
/// malformed ones fail with a typed error; nothing personal or secret is logged or put in an error (R22).
/// </summary>
/// <remarks>
/// <para>Derive one class in your test project and implement the harness: <see cref="CreateHandler"/> makes your handler
/// (configured with your webhook secret, logging to the kit's logger provider), and <see cref="SignedStatusReport"/> and
/// <see cref="SignedInboundText"/> build requests exactly as your provider sends them, signed as it signs them, for the
/// public URL the kit gives (<c>https://ehr.example.nhs.uk/m/</c> followed by the handler's route).</para>
/// <para>The kit tampers with requests generically: it drops or replaces every header, changes each form field's value
/// in turn, changes the raw body and the URL. So a handler must authenticate every field it reads, as Twilio's
/// signature does.</para>
/// </remarks>
public abstract class ProviderWebhookConformanceTests
{
    private static readonly Uri PublicBaseUrl = new("https://ehr.example.nhs.uk/m/");
    private static readonly OrganisationId Organisation = new("conformance-trust");
    private static readonly PhoneNumber Patient = PhoneNumber.FromE164("+447700900461");
    private static readonly PhoneNumber OrganisationNumber = PhoneNumber.FromE164("+447700900002");

    /// <summary>Texts a patient sends: the opt-out and opt-in keywords in the cases patients type them, and an ordinary reply.</summary>
    private static readonly string[] InboundBodies =
    [
        "STOP", "stop", " Stop ", "STOPALL", "Unsubscribe", "cancel", "END", "quit", "REVOKE", "OptOut", "START", "unstop",
        "Yes, 10:40 on Tuesday suits me 👍\nThanks — Adaeze",
    ];

    /// <summary>
    /// Makes the handler under test, configured with the secret its signatures use (<see cref="Credentials"/>).
    /// </summary>
    /// <param name="logs">The kit's logger provider: the handler must log through it.</param>
    protected abstract IProviderWebhookHandler CreateHandler(ILoggerProvider logs);

    /// <summary>
    /// A delivery report as your provider posts it for a message it sent, signed for <paramref name="publicUrl"/>: the
    /// provider's own status word for <paramref name="status"/> (e.g. Twilio's <c>delivered</c>).
    /// </summary>
    /// <param name="publicUrl">The status route's public URL.</param>
    /// <param name="providerMessageId">The provider's id of the message (from <see cref="NewProviderMessageId"/>).</param>
    /// <param name="status">The status to report.</param>
    /// <returns>The request, or <see langword="null"/> when the provider never reports that status. Every provider reports Delivered and Failed.</returns>
    protected abstract ProviderWebhookRequest? SignedStatusReport(Uri publicUrl, string providerMessageId, DeliveryStatus status);

    /// <summary>An inbound text as your provider posts it, signed for <paramref name="publicUrl"/>.</summary>
    /// <param name="publicUrl">The inbound route's public URL for <paramref name="organisationId"/>.</param>
    /// <param name="organisationId">The organisation the route names (set it as <see cref="ProviderWebhookRequest.OrganisationId"/>).</param>
    /// <param name="from">The patient's number.</param>
    /// <param name="to">The organisation's number.</param>
    /// <param name="body">The text.</param>
    protected abstract ProviderWebhookRequest SignedInboundText(Uri publicUrl, OrganisationId organisationId, PhoneNumber from, PhoneNumber to, string body);

    /// <summary>The secrets the handler verifies signatures with: none may appear in a log or an error.</summary>
    protected abstract IReadOnlyCollection<string> Credentials { get; }

    /// <summary>A fresh message id in your provider's format. The default value is 32 hexadecimal digits.</summary>
    protected virtual string NewProviderMessageId() => Guid.NewGuid().ToString("N");

    /// <summary>
    /// Whether the provider posts inbound texts (Twilio does; NHS Notify, which only sends, does not). When
    /// <see langword="false"/>, the handler must serve no inbound route and refuse <see cref="IProviderWebhookHandler.ParseInboundText"/>
    /// with <see cref="MessagingValidationException"/>, and <see cref="SignedInboundText"/> is never called.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    protected virtual bool ReceivesInboundTexts => true;

    /// <summary>
    /// Whether the provider's signature covers the URL it calls (Twilio's does). When <see langword="false"/> (NHS Notify
    /// signs the body only), a request replayed at another host or route is not expected to be refused; headers, fields and
    /// the body still are.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    protected virtual bool SignatureCoversUrl => true;

    /// <summary>The handler's name is a valid route segment and it serves the SDK's status and inbound routes.</summary>
    [ProviderFact]
    public void The_handler_serves_the_sdks_status_and_inbound_routes()
    {
        using var logs = new CapturedLogs();
        var handler = CreateHandler(logs);

        Assert.True(ProviderWebhookRoutes.IsValidName(handler.Name), $"'{handler.Name}' is not a valid provider route segment.");
        Assert.Contains(handler.Routes, r => r is { Kind: ProviderWebhookKind.Status, Deprecated: false } && r.Template == ProviderWebhookRoutes.Status(handler.Name));
        if (!ReceivesInboundTexts)
        {
            Assert.DoesNotContain(handler.Routes, r => r.Kind == ProviderWebhookKind.Inbound);
            return;
        }

        Assert.Contains(handler.Routes, r => r is { Kind: ProviderWebhookKind.Inbound, Deprecated: false } && r.Template == ProviderWebhookRoutes.Inbound(handler.Name));
        Assert.All(handler.Routes.Where(r => r.Kind == ProviderWebhookKind.Inbound), r => Assert.Contains("{" + ProviderWebhookRoutes.OrganisationIdParameter + "}", r.Template, StringComparison.Ordinal));
    }

    /// <summary>
    /// A signed report of each status authenticates and parses to one update for that status, with the handler's name,
    /// the message's id and the provider's raw status word; parsing it again gives an equal update (a repeat is a repeat).
    /// </summary>
    [ProviderFact]
    public async Task Signed_status_reports_are_accepted_and_map_to_the_sdks_statuses()
    {
        using var logs = new CapturedLogs();
        var handler = CreateHandler(logs);
        var reported = new List<DeliveryStatus>();
        foreach (var status in Enum.GetValues<DeliveryStatus>())
        {
            var id = NewProviderMessageId();
            if (SignedStatusReport(StatusUrl(handler), id, status) is not { } request)
            {
                Assert.True(status is not (DeliveryStatus.Delivered or DeliveryStatus.Failed), $"Every provider reports {status}: SignedStatusReport must build it.");
                continue;
            }

            reported.Add(status);
            Assert.True(await handler.AuthenticateAsync(request, CancellationToken.None), $"A validly signed {status} report was refused.");
            var update = Assert.Single(handler.ParseStatusReports(request));
            Assert.Equal(handler.Name, update.ProviderName);
            Assert.Equal(id, update.ProviderMessageId);
            Assert.Equal(status, update.Status);
            Assert.False(string.IsNullOrWhiteSpace(update.RawStatus), "The provider's raw status is kept with the message (R13).");
            Assert.Equal(update, Assert.Single(handler.ParseStatusReports(request)));
        }

        Assert.Contains(DeliveryStatus.Delivered, reported);
        AssertNothingLeaked(logs);
    }

    /// <summary>
    /// Reports arriving out of order, as providers send them, leave a message at the furthest status under R13's rule
    /// (Queued, Sending, Sent, then one final state): a late "sent" after "delivered" and a "delivered" after "failed"
    /// change nothing; a repeat changes nothing.
    /// </summary>
    [ProviderFact]
    public void Status_reports_in_any_order_move_a_message_only_forward()
    {
        using var logs = new CapturedLogs();
        var handler = CreateHandler(logs);
        var id = NewProviderMessageId();
        DeliveryStatus? Parse(DeliveryStatus status) => SignedStatusReport(StatusUrl(handler), id, status) is { } request
            ? Assert.Single(handler.ParseStatusReports(request)).Status
            : null;
        DeliveryStatus After(params DeliveryStatus[] reports) => DeliveryStatusOrder.Apply(reports.Select(Parse).OfType<DeliveryStatus>());

        Assert.Equal(DeliveryStatus.Delivered, After(DeliveryStatus.Sent, DeliveryStatus.Delivered));
        Assert.Equal(DeliveryStatus.Delivered, After(DeliveryStatus.Delivered, DeliveryStatus.Sent));
        Assert.Equal(DeliveryStatus.Delivered, After(DeliveryStatus.Delivered, DeliveryStatus.Queued, DeliveryStatus.Sending, DeliveryStatus.Sent));
        Assert.Equal(DeliveryStatus.Failed, After(DeliveryStatus.Failed, DeliveryStatus.Delivered));
        Assert.Equal(DeliveryStatus.Delivered, After(DeliveryStatus.Delivered, DeliveryStatus.Failed, DeliveryStatus.Undelivered));
        Assert.Equal(DeliveryStatus.Delivered, After(DeliveryStatus.Delivered, DeliveryStatus.Delivered));
        if (Parse(DeliveryStatus.Undelivered) is not null)
        {
            Assert.Equal(DeliveryStatus.Undelivered, After(DeliveryStatus.Sent, DeliveryStatus.Undelivered, DeliveryStatus.Delivered));
        }

        if (Parse(DeliveryStatus.Sent) is not null)
        {
            Assert.Equal(DeliveryStatus.Sent, After(DeliveryStatus.Sent, DeliveryStatus.Sending, DeliveryStatus.Queued));
        }

        AssertNothingLeaked(logs);
    }

    /// <summary>
    /// A validly signed request is accepted; the same request unsigned, with a forged signature, with any field or the body
    /// changed, or replayed at another URL is refused.
    /// </summary>
    [ProviderFact]
    public async Task Unsigned_forged_tampered_or_replayed_webhooks_are_refused()
    {
        using var logs = new CapturedLogs();
        var handler = CreateHandler(logs);
        var status = SignedStatusReport(StatusUrl(handler), NewProviderMessageId(), DeliveryStatus.Delivered)!;
        var requests = new List<(string, ProviderWebhookRequest)> { ("status report", status) };
        if (ReceivesInboundTexts)
        {
            requests.Add(("inbound text", SignedInboundText(InboundUrl(handler, Organisation), Organisation, Patient, OrganisationNumber, "STOP")));
        }

        foreach (var (what, request) in requests)
        {
            Assert.True(await handler.AuthenticateAsync(request, CancellationToken.None), $"The validly signed {what} was refused.");
            foreach (var (how, forged) in Forgeries(request, handler, SignatureCoversUrl))
            {
                Assert.False(await handler.AuthenticateAsync(forged, CancellationToken.None), $"The {what} {how} was accepted.");
            }
        }

        AssertNothingLeaked(logs);
    }

    /// <summary>
    /// Signed inbound texts, STOP-style and START-style keywords among them, authenticate and parse to the patient's
    /// number, the organisation's number and the text exactly as sent, so the SDK's keyword handling (R14) sees what the
    /// patient typed.
    /// </summary>
    [ProviderFact]
    public async Task Inbound_texts_and_opt_out_keywords_reach_the_sdk_as_sent()
    {
        using var logs = new CapturedLogs();
        var handler = CreateHandler(logs);
        if (!ReceivesInboundTexts)
        {
            var report = SignedStatusReport(StatusUrl(handler), NewProviderMessageId(), DeliveryStatus.Delivered)!;
            Assert.False(string.IsNullOrWhiteSpace(Assert.Throws<MessagingValidationException>(() => handler.ParseInboundText(report)).ErrorCode));
            return;
        }

        foreach (var body in InboundBodies)
        {
            var request = SignedInboundText(InboundUrl(handler, Organisation), Organisation, Patient, OrganisationNumber, body);
            Assert.True(await handler.AuthenticateAsync(request, CancellationToken.None), $"A validly signed inbound text ({body.Trim()}) was refused.");

            var text = handler.ParseInboundText(request);
            Assert.Equal(handler.Name, text.ProviderName);
            Assert.False(string.IsNullOrWhiteSpace(text.ProviderMessageId), "An inbound text carries the provider's id, to recognise a repeat.");
            Assert.Equal(Patient, text.From);
            Assert.Equal(OrganisationNumber, text.To);
            Assert.Equal(body, text.Body);
            Assert.DoesNotContain(Patient.Value, text.ToString(), StringComparison.Ordinal);
        }

        AssertNothingLeaked(logs, InboundBodies);
    }

    /// <summary>
    /// A request with a field missing, a field holding a malformed number, or a cut-off body either parses or fails with
    /// <see cref="MessagingValidationException"/> (the host answers 400), never another exception; no error quotes the
    /// patient's number or text.
    /// </summary>
    [ProviderFact]
    public void Malformed_webhooks_fail_with_a_typed_error_that_quotes_no_patient_data()
    {
        using var logs = new CapturedLogs();
        var handler = CreateHandler(logs);
        const string Body = "Please call me about my results, Adaeze";
        var malformedNumber = Patient.Value + "1234567";
        var inbound = ReceivesInboundTexts ? SignedInboundText(InboundUrl(handler, Organisation), Organisation, Patient, OrganisationNumber, Body) : null;
        var status = SignedStatusReport(StatusUrl(handler), NewProviderMessageId(), DeliveryStatus.Failed)!;
        var probes = Probes(Body).Text("the malformed number", malformedNumber);

        foreach (var (how, request) in inbound is null ? [] : Malformed(inbound, malformedNumber))
        {
            Check(() => handler.ParseInboundText(request), $"The inbound text {how}");
        }

        foreach (var (how, request) in Malformed(status, "not-a-status"))
        {
            Check(() => handler.ParseStatusReports(request), $"The status report {how}");
        }

        probes.AssertAbsentFromLogs(logs);

        void Check(Action parse, string what)
        {
            try
            {
                parse();
            }
            catch (MessagingValidationException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.ErrorCode));
                probes.AssertAbsentFrom(e);
            }
            catch (Exception e)
            {
                Assert.Fail($"{what} threw {e.GetType().Name}; a malformed webhook is refused with MessagingValidationException, which the host answers with 400.");
            }
        }
    }

    private static Uri StatusUrl(IProviderWebhookHandler handler) => new(PublicBaseUrl, ProviderWebhookRoutes.Status(handler.Name));

    private static Uri InboundUrl(IProviderWebhookHandler handler, OrganisationId organisationId)
        => new(PublicBaseUrl, ProviderWebhookRoutes.Inbound(handler.Name).Replace(
            "{" + ProviderWebhookRoutes.OrganisationIdParameter + "}", Uri.EscapeDataString(organisationId.Value), StringComparison.Ordinal));

    private static IEnumerable<(string How, ProviderWebhookRequest Request)> Forgeries(ProviderWebhookRequest signed, IProviderWebhookHandler handler, bool signatureCoversUrl)
    {
        var noHeaders = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        yield return ("with no headers (unsigned)", Copy(signed, headers: noHeaders));
        var forgedHeaders = signed.Headers.ToDictionary(h => h.Key, h => Convert.ToBase64String(Guid.NewGuid().ToByteArray()), StringComparer.OrdinalIgnoreCase);
        yield return ("with every header value forged", Copy(signed, headers: forgedHeaders));

        for (var i = 0; i < signed.Form.Count; i++)
        {
            var form = signed.Form.ToList();
            form[i] = new(form[i].Key, form[i].Value + "1");
            yield return (string.Create(CultureInfo.InvariantCulture, $"with field '{form[i].Key}' changed"), Copy(signed, form: form));
        }

        if (signed.Form.Count > 0)
        {
            yield return ("with a field added", Copy(signed, form: [.. signed.Form, new("Injected", "1")]));
            yield return ("with a field removed", Copy(signed, form: [.. signed.Form.Skip(1)]));
        }

        if (!signed.Body.IsEmpty)
        {
            var body = signed.Body.ToArray();
            body[^1] ^= 0x01;
            yield return ("with its body changed", Copy(signed, body: body));
            yield return ("with its body extended", Copy(signed, body: [.. signed.Body.ToArray(), (byte)' ']));
        }

        if (!signatureCoversUrl)
        {
            yield break;
        }

        var url = new Uri(signed.PublicUrl);
        yield return ("sent to another host", Copy(signed, url: new UriBuilder(url) { Host = "attacker.example" }.Uri.AbsoluteUri));
        var elsewhere = signed.OrganisationId is null
            ? InboundUrl(handler, Organisation)
            : InboundUrl(handler, new OrganisationId("another-trust"));
        yield return ("replayed at another route", Copy(signed, url: elsewhere.AbsoluteUri + url.Query));
    }

    private static IEnumerable<(string How, ProviderWebhookRequest Request)> Malformed(ProviderWebhookRequest signed, string badValue)
    {
        for (var i = 0; i < signed.Form.Count; i++)
        {
            var without = signed.Form.ToList();
            var name = without[i].Key;
            without.RemoveAt(i);
            yield return ($"without '{name}'", Copy(signed, form: without));
            var bad = signed.Form.ToList();
            bad[i] = new(name, badValue);
            yield return ($"with a malformed '{name}'", Copy(signed, form: bad));
        }

        if (!signed.Body.IsEmpty)
        {
            yield return ("cut off half way", Copy(signed, body: signed.Body[..(signed.Body.Length / 2)].ToArray()));
            yield return ("with an empty body", Copy(signed, body: []));
        }
    }

    private static ProviderWebhookRequest Copy(
        ProviderWebhookRequest request,
        IReadOnlyDictionary<string, string>? headers = null,
        IReadOnlyList<KeyValuePair<string, string>>? form = null,
        byte[]? body = null,
        string? url = null) => new()
        {
            Method = request.Method,
            PublicUrl = url ?? request.PublicUrl,
            Headers = headers ?? request.Headers,
            ContentType = request.ContentType,
            Form = form ?? request.Form,
            Body = body ?? request.Body,
            OrganisationId = request.OrganisationId,
        };

    private PatientData Probes(params string[] bodies)
    {
        var probes = new PatientData().Phone("the patient's number", Patient).Credentials(Credentials);
        foreach (var body in bodies)
        {
            // Keywords are too short and too common to search for; longer texts are searched by window.
            if (body.Trim().Length > 12)
            {
                probes.Text("the text", body);
            }
        }

        return probes;
    }

    private void AssertNothingLeaked(CapturedLogs logs, params string[] bodies) => Probes(bodies).AssertAbsentFromLogs(logs);
}
