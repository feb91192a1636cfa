using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Messaging.Outbox;

/// <summary>
/// Which named providers send each organisation's messages, per channel, in order of preference (R26): the first that
/// accepts a message sends it, a later one is tried when an earlier one fails transiently. Bound from
/// <c>Messaging:Routes</c> by <c>services.AddPatientMessaging(configuration.GetSection("Messaging"))</c> and validated at
/// start-up against the providers registered (<see cref="ISmsProvider.Name"/>, <see cref="IEmailProvider.Name"/>).
/// </summary>
/// <remarks>
/// <para>A channel that no route names (neither <see cref="Default"/> nor any organisation) is not routed: its messages
/// go to every registered provider of the channel in registration order, as without routes. Once a channel is routed,
/// an organisation's messages on it use the organisation's route, else <see cref="Default"/>'s; an organisation with
/// neither is refused at send time with <see cref="MessagingErrorCodes.NoRoute"/>, before anything is charged or
/// written. Staff notification emails follow their organisation's email route.</para>
/// <para>Routes are read once, at start-up: a change takes effect on restart.</para>
/// </remarks>
/// <example>
/// <code>
/// "Messaging": { "Routes": {
///   "Default": { "Email": [ "smtp" ] },
///   "Organisations": {
///     "northshire-trust": { "Sms": [ "northshire-twilio", "nhs-notify" ], "Email": [ "northshire-smtp" ] },
///     "riverside-clinic": { "Sms": [ "riverside-twilio" ] } } } }
/// </code>
/// </example>
public sealed class ProviderRouteOptions
{
    /// <summary>The configuration section these options are conventionally bound from.</summary>
    public const string SectionName = "Messaging:Routes";

    /// <summary>
    /// The route of each organisation, by organisation id (matched exactly): per channel (<c>Sms</c>, <c>Email</c>), the
    /// names of the providers to try, in order.
    /// </summary>
    public IDictionary<string, IDictionary<string, IList<string>>> Organisations { get; } =
        new Dictionary<string, IDictionary<string, IList<string>>>(StringComparer.Ordinal);

    /// <summary>The route of organisations <see cref="Organisations"/> does not list (or lists without the channel), per channel.</summary>
    public IDictionary<string, IList<string>> Default { get; } = new Dictionary<string, IList<string>>(StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// Validates <see cref="ProviderRouteOptions"/> at start-up: a bad organisation id, a channel other than <c>Sms</c> or
/// <c>Email</c>, an empty list, or a name no registered provider of the channel has is refused with the setting's path
/// (e.g. <c>Messaging:Routes:Organisations:northshire-trust:Sms:1</c>).
/// </summary>
internal sealed class ProviderRouteOptionsValidator(IServiceProvider services) : IValidateOptions<ProviderRouteOptions>
{
    private const string Prefix = ProviderRouteOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, ProviderRouteOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Organisations.Count == 0 && options.Default.Count == 0)
        {
            return ValidateOptionsResult.Success;
        }

        IReadOnlyCollection<string> sms, email;
        try
        {
            sms = [.. services.GetServices<ISmsProvider>().Select(p => p.Name)];
            email = [.. services.GetServices<IEmailProvider>().Select(p => p.Name)];
        }
        catch (OptionsValidationException)
        {
            // A provider whose own options are invalid: its validation stops the host and names its settings.
            return ValidateOptionsResult.Skip;
        }

        var failures = new List<string>();
        foreach (var (organisation, channels) in options.Organisations)
        {
            var path = $"{Prefix}Organisations:{organisation}";
            if (!OrganisationId.TryParse(organisation, out _))
            {
                failures.Add($"{path} is not an organisation id (1 to 128 characters, not blank, no control characters).");
                continue;
            }

            if (channels is null || channels.Count == 0)
            {
                failures.Add($"{path} names no channel: give Sms or Email a list of provider names.");
                continue;
            }

            Check(path, channels, sms, email, failures);
        }

        Check(Prefix + "Default", options.Default, sms, email, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(string path, IDictionary<string, IList<string>> channels, IReadOnlyCollection<string> sms, IReadOnlyCollection<string> email, List<string> failures)
    {
        foreach (var (channel, names) in channels)
        {
            var at = $"{path}:{channel}";
            var registered = ProviderRoutes.ChannelOf(channel) switch
            {
                RoutedChannel.Sms => sms,
                RoutedChannel.Email => email,
                _ => null,
            };
            if (registered is null)
            {
                failures.Add($"{at} is not a routed channel: routes are given for Sms and Email.");
                continue;
            }

            if (names is null || names.Count == 0)
            {
                failures.Add($"{at} is empty: list the providers to try, in order, e.g. [\"{registered.FirstOrDefault() ?? "twilio"}\"].");
                continue;
            }

            for (var i = 0; i < names.Count; i++)
            {
                var provider = names[i];
                if (string.IsNullOrWhiteSpace(provider))
                {
                    failures.Add($"{at}:{i} is empty: a provider name is required.");
                }
                else if (!registered.Contains(provider, StringComparer.Ordinal))
                {
                    var known = registered.Count == 0 ? "none is registered" : "registered: " + string.Join(", ", registered.Distinct(StringComparer.Ordinal));
                    failures.Add($"{at}:{i} names provider '{provider}', which is not a registered {channel} provider ({known}).");
                }
                else if (names.Take(i).Contains(provider, StringComparer.Ordinal))
                {
                    failures.Add($"{at}:{i} names provider '{provider}' twice.");
                }
            }
        }
    }
}
