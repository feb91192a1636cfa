using Microsoft.Extensions.Options;

namespace Messaging.Outbox;

/// <summary>The channels a route can be given for.</summary>
internal enum RoutedChannel
{
    None = 0,
    Sms = 1,
    Email = 2,
}

/// <summary>
/// The providers an organisation's messages go to, per channel, in order (R26), from <see cref="ProviderRouteOptions"/>:
/// the organisation's route, else the default route; every registered provider in registration order for a channel no
/// route names. Used by the send path (refusing an organisation without a route before anything is written) and by the
/// outbox dispatcher (the fallback order of each message and staff notification email).
/// </summary>
internal sealed class ProviderRoutes
{
    private readonly ISmsProvider[] _sms;
    private readonly IEmailProvider[] _email;
    private readonly Table<ISmsProvider> _smsRoutes;
    private readonly Table<IEmailProvider> _emailRoutes;

    public ProviderRoutes(IEnumerable<ISmsProvider> smsProviders, IEnumerable<IEmailProvider> emailProviders, IOptions<ProviderRouteOptions> options)
    {
        _sms = [.. smsProviders];
        _email = [.. emailProviders];
        var routes = options.Value;
        _smsRoutes = Table<ISmsProvider>.Build(routes, RoutedChannel.Sms, _sms, p => p.Name);
        _emailRoutes = Table<IEmailProvider>.Build(routes, RoutedChannel.Email, _email, p => p.Name);
    }

    /// <summary>The channel a route key names (<c>Sms</c>, <c>Email</c>, any case), or <see cref="RoutedChannel.None"/>.</summary>
    internal static RoutedChannel ChannelOf(string key)
        => string.Equals(key, "sms", StringComparison.OrdinalIgnoreCase) ? RoutedChannel.Sms
            : string.Equals(key, "email", StringComparison.OrdinalIgnoreCase) ? RoutedChannel.Email
            : RoutedChannel.None;

    /// <summary>The SMS providers of an organisation, in order; <see langword="null"/> when SMS is routed and it has no route.</summary>
    public IReadOnlyList<ISmsProvider>? Sms(OrganisationId organisationId) => _smsRoutes.For(organisationId, _sms);

    /// <summary>The email providers of an organisation, in order; <see langword="null"/> when email is routed and it has no route.</summary>
    public IReadOnlyList<IEmailProvider>? Email(OrganisationId organisationId) => _emailRoutes.For(organisationId, _email);

    /// <summary>
    /// Refuses a send on <paramref name="channel"/> for an organisation without a route (R26, R21): a
    /// <see cref="MessagingConflictException"/> with <see cref="MessagingErrorCodes.NoRoute"/>, thrown before anything is
    /// charged or written. Channels other than SMS and email are not routed.
    /// </summary>
    public void Require(OrganisationId organisationId, MessageChannel channel)
    {
        var missing = channel == MessageChannel.Sms ? Sms(organisationId) is null
            : channel == MessageChannel.Email && Email(organisationId) is null;
        if (missing)
        {
            var key = channel == MessageChannel.Sms ? "Sms" : "Email";
            throw new MessagingConflictException(
                MessagingErrorCodes.NoRoute,
                $"Organisation '{organisationId}' has no {key} route: add {ProviderRouteOptions.SectionName}:Organisations:{organisationId}:{key} (or {ProviderRouteOptions.SectionName}:Default:{key}) naming its providers.");
        }
    }

    /// <summary>One channel's routes, resolved to provider instances once.</summary>
    private sealed class Table<TProvider>
    {
        private readonly bool _routed;
        private readonly Dictionary<string, TProvider[]> _organisations;
        private readonly TProvider[]? _default;

        private Table(bool routed, Dictionary<string, TProvider[]> organisations, TProvider[]? @default)
        {
            _routed = routed;
            _organisations = organisations;
            _default = @default;
        }

        public static Table<TProvider> Build(ProviderRouteOptions options, RoutedChannel channel, TProvider[] providers, Func<TProvider, string> nameOf)
        {
            // A route name selects every registered provider of that name, in registration order.
            TProvider[] Resolve(IList<string> names)
                => [.. names.SelectMany(n => providers.Where(p => string.Equals(nameOf(p), n, StringComparison.Ordinal)))];

            IList<string>? Find(IDictionary<string, IList<string>>? channels)
                => channels?.FirstOrDefault(c => ChannelOf(c.Key) == channel).Value;

            var organisations = new Dictionary<string, TProvider[]>(StringComparer.Ordinal);
            foreach (var (organisation, channels) in options.Organisations)
            {
                if (Find(channels) is { } names)
                {
                    organisations[organisation] = Resolve(names);
                }
            }

            var @default = Find(options.Default) is { } defaults ? Resolve(defaults) : null;
            return new Table<TProvider>(organisations.Count > 0 || @default is not null, organisations, @default);
        }

        public IReadOnlyList<TProvider>? For(OrganisationId organisationId, TProvider[] all)
            => !_routed ? all
                : _organisations.TryGetValue(organisationId.Value, out var route) ? route
                : _default;
    }
}
