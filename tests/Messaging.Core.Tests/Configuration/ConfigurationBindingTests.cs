using System.Collections;
using System.Reflection;
using System.Text.Json;
using Messaging.DirectMessages;
using Messaging.Outbox;
using Messaging.Templates;
using Messaging.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Messaging.Tests.Configuration;

/// <summary>
/// <c>AddPatientMessaging(IConfiguration)</c> binds every option of the core from the <c>Messaging</c> section and its
/// sub-sections, and a bad value stops start-up with a message naming the setting's full path.
/// </summary>
public sealed class ConfigurationBindingTests
{
    private const string Pepper = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="; // 32 bytes
    private const string LinkKey = "HyAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5Ojs8PT4="; // 32 bytes

    /// <summary>Every setting of every section, each different from its default.</summary>
    private static readonly Dictionary<string, string?> EverySetting = new()
    {
        ["Messaging:PublicBaseUrl"] = "https://ehr.example.test/m/",
        ["Messaging:LinkKey"] = LinkKey,
        ["Messaging:DefaultPhoneRegion"] = "IE",
        ["Messaging:TimeZone"] = "America/New_York",
        ["Messaging:DefaultPageSize"] = "30",
        ["Messaging:MaxPageSize"] = "200",
        ["Messaging:ReplyLinkLifetime"] = "3.00:00:00",
        ["Messaging:LowCreditThreshold"] = "50",

        ["Messaging:Outbox:RunInBackground"] = "false",
        ["Messaging:Outbox:PollInterval"] = "00:00:03",
        ["Messaging:Outbox:BatchSize"] = "20",
        ["Messaging:Outbox:MaxConcurrency"] = "3",
        ["Messaging:Outbox:MaxAttempts"] = "9",
        ["Messaging:Outbox:BaseRetryDelay"] = "00:00:04",
        ["Messaging:Outbox:MaxRetryDelay"] = "00:10:00",
        ["Messaging:Outbox:Lease"] = "00:03:00",
        ["Messaging:Outbox:ProviderCallTimeout"] = "00:01:00",

        ["Messaging:Attachments:MaxBytes"] = "1048576",
        ["Messaging:Attachments:AllowedContentTypes:0"] = "image/png",
        ["Messaging:Attachments:AllowedContentTypes:1"] = "image/webp",
        ["Messaging:Attachments:DownloadLinkLifetime"] = "2.00:00:00",

        ["Messaging:SystemEmails:StaffAppUrl"] = "https://ehr.example.test/inbox",
        ["Messaging:SystemEmails:PatientReplyNotification:Subject"] = "Reply in {{workspace.name}}",
        ["Messaging:SystemEmails:PatientReplyNotification:Text"] = "Hi {{recipient.name}}: {{link}}",
        ["Messaging:SystemEmails:PatientReplyNotification:Html"] = "<p>Hi {{recipient.name}}</p>",
        ["Messaging:SystemEmails:InternalMessageNotification:Subject"] = "Secure message",
        ["Messaging:SystemEmails:InternalMessageNotification:Text"] = "A colleague wrote. {{link}}",
        ["Messaging:SystemEmails:InternalMessageNotification:Html"] = "<p>A colleague wrote.</p>",
        ["Messaging:SystemEmails:DirectMessageLink:Subject"] = "{{organisation.name}} wrote",
        ["Messaging:SystemEmails:DirectMessageLink:Text"] = "Open: {{link}}",
        ["Messaging:SystemEmails:DirectMessageLink:Html"] = "<a href=\"{{link}}\">Open</a>",

        ["Messaging:Templates:CacheCapacity"] = "64",
        ["Messaging:Templates:Placeholders:appointment.date:Kind"] = "Date",
        ["Messaging:Templates:Placeholders:appointment.date:Description"] = "The appointment's date",

        ["Messaging:DirectMessages:Pepper"] = Pepper,
        ["Messaging:DirectMessages:Argon2:MemoryKiB"] = "4096",
        ["Messaging:DirectMessages:Argon2:Iterations"] = "3",
        ["Messaging:DirectMessages:Argon2:Parallelism"] = "2",
        ["Messaging:DirectMessages:MaxConcurrentHashes"] = "999",
        ["Messaging:DirectMessages:HashQueueTimeout"] = "00:00:09",
        ["Messaging:DirectMessages:LinkLifetime"] = "2.00:00:00",
        ["Messaging:DirectMessages:AccessCodeLifetime"] = "1.00:00:00",
        ["Messaging:DirectMessages:AccessCodeLength"] = "10",
    };

    private static IConfigurationSection Section(IDictionary<string, string?> settings)
        => new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(PatientMessagingOptions.SectionName);

    private static ServiceProvider Provider(IDictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddPatientMessaging(Section(settings)).AddInMemoryStore();
        return services.BuildServiceProvider();
    }

    private static T Bound<T>(IDictionary<string, string?> settings)
        where T : class
    {
        using var provider = Provider(settings);
        return provider.GetRequiredService<IOptions<T>>().Value;
    }

    [Fact]
    public void Every_core_option_takes_its_configured_value()
    {
        Bound<PatientMessagingOptions>(EverySetting).Should().BeEquivalentTo(new PatientMessagingOptions
        {
            PublicBaseUrl = new Uri("https://ehr.example.test/m/"),
            LinkKey = LinkKey,
            DefaultPhoneRegion = "IE",
            TimeZone = "America/New_York",
            DefaultPageSize = 30,
            MaxPageSize = 200,
            ReplyLinkLifetime = TimeSpan.FromDays(3),
            LowCreditThreshold = 50,
        });

        Bound<OutboxOptions>(EverySetting).Should().BeEquivalentTo(new OutboxOptions
        {
            RunInBackground = false,
            PollInterval = TimeSpan.FromSeconds(3),
            BatchSize = 20,
            MaxConcurrency = 3,
            MaxAttempts = 9,
            BaseRetryDelay = TimeSpan.FromSeconds(4),
            MaxRetryDelay = TimeSpan.FromMinutes(10),
            Lease = TimeSpan.FromMinutes(3),
            ProviderCallTimeout = TimeSpan.FromMinutes(1),
        });

        var attachments = Bound<AttachmentOptions>(EverySetting);
        attachments.MaxBytes.Should().Be(1048576);
        attachments.AllowedContentTypes.Should().Equal(["image/png", "image/webp"], "a configured list replaces the default one");
        attachments.DownloadLinkLifetime.Should().Be(TimeSpan.FromDays(2));

        Bound<SystemEmailOptions>(EverySetting).Should().BeEquivalentTo(new SystemEmailOptions
        {
            StaffAppUrl = new Uri("https://ehr.example.test/inbox"),
            PatientReplyNotification = new("Reply in {{workspace.name}}", "Hi {{recipient.name}}: {{link}}", "<p>Hi {{recipient.name}}</p>"),
            InternalMessageNotification = new("Secure message", "A colleague wrote. {{link}}", "<p>A colleague wrote.</p>"),
            DirectMessageLink = new("{{organisation.name}} wrote", "Open: {{link}}", "<a href=\"{{link}}\">Open</a>"),
        });

        var templates = Bound<TemplateOptions>(EverySetting);
        templates.CacheCapacity.Should().Be(64);
        templates.Placeholders.Should().ContainKey("Appointment.Date", "the dictionary keeps its case-insensitive comparer");
        templates.Placeholders["appointment.date"].Should().BeEquivalentTo(new CustomPlaceholderOptions { Kind = PlaceholderKind.Date, Description = "The appointment's date" });

        Bound<DirectMessageSecurityOptions>(EverySetting).Should().BeEquivalentTo(new DirectMessageSecurityOptions
        {
            Pepper = Pepper,
            Argon2 = new Argon2idOptions { MemoryKiB = 4096, Iterations = 3, Parallelism = 2 },
            MaxConcurrentHashes = 999,
            HashQueueTimeout = TimeSpan.FromSeconds(9),
            LinkLifetime = TimeSpan.FromDays(2),
            AccessCodeLifetime = TimeSpan.FromDays(1),
            AccessCodeLength = 10,
        });
    }

    public static TheoryData<Type> OptionsTypes() => new()
    {
        typeof(PatientMessagingOptions), typeof(OutboxOptions), typeof(AttachmentOptions), typeof(SystemEmailOptions),
        typeof(TemplateOptions), typeof(DirectMessageSecurityOptions),
    };

    /// <summary>Fails when an option is added that configuration does not bind (or that the settings above leave out).</summary>
    [Theory]
    [MemberData(nameof(OptionsTypes))]
    public void Every_public_property_is_bound_away_from_its_default(Type type)
    {
        using var provider = Provider(EverySetting);
        var bound = GetOptions(provider, type);
        var unbound = new List<string>();
        Compare(type.Name, Activator.CreateInstance(type)!, bound, unbound);
        unbound.Should().BeEmpty("every option must be bindable from configuration, and the test's settings must set it");
    }

    private static object GetOptions(IServiceProvider provider, Type type)
    {
        var options = provider.GetRequiredService(typeof(IOptions<>).MakeGenericType(type));
        return options.GetType().GetProperty(nameof(IOptions<object>.Value))!.GetValue(options)!;
    }

    private static void Compare(string path, object defaults, object bound, List<string> unbound)
    {
        foreach (var property in defaults.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = $"{path}.{property.Name}";
            var type = property.PropertyType;
            var isCollection = type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type);
            if (property.SetMethod?.IsPublic != true && !isCollection)
            {
                unbound.Add($"{name} has no public setter");
                continue;
            }

            var before = property.GetValue(defaults);
            var after = property.GetValue(bound);
            var isNested = type.IsClass && type != typeof(string) && type != typeof(Uri) && !isCollection;
            if (isNested && before is not null && after is not null)
            {
                Compare(name, before, after, unbound);
            }
            else if (JsonSerializer.Serialize(before, type) == JsonSerializer.Serialize(after, type))
            {
                unbound.Add($"{name} kept its default");
            }
        }
    }

    public static TheoryData<string, string, string> BadSettings() => new()
    {
        { "Messaging:DefaultPageSize", "0", "Messaging:DefaultPageSize" },
        { "Messaging:Outbox:BatchSize", "0", "Messaging:Outbox:BatchSize" },
        { "Messaging:Outbox:Lease", "00:00:01", "Messaging:Outbox:Lease" },
        { "Messaging:Attachments:MaxBytes", "0", "Messaging:Attachments:MaxBytes" },
        { "Messaging:Attachments:AllowedContentTypes:0", "not a type", "Messaging:Attachments:AllowedContentTypes" },
        { "Messaging:SystemEmails:DirectMessageLink:Subject", "For {{patient.firstName}}", "Messaging:SystemEmails:DirectMessageLink:Subject" },
        { "Messaging:SystemEmails:StaffAppUrl", "/inbox", "Messaging:SystemEmails:StaffAppUrl" },
        { "Messaging:Templates:CacheCapacity", "-1", "Messaging:Templates:CacheCapacity" },
        { "Messaging:Templates:Placeholders:not a name:Kind", "Text", "Messaging:Templates:Placeholders:not a name" },
        { "Messaging:DirectMessages:AccessCodeLength", "99", "Messaging:DirectMessages:AccessCodeLength" },
        { "Messaging:DirectMessages:Argon2:Iterations", "0", "Messaging:DirectMessages:Argon2:Iterations" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_bad_setting_stops_start_up_naming_its_path(string key, string value, string expectedPath)
    {
        var settings = new Dictionary<string, string?>(EverySetting) { [key] = value };
        var error = await HostStart.TryAsync(services => services.AddPatientMessaging(Section(settings)).AddInMemoryStore());
        error.Should().NotBeNull();
        error!.Failures.Should().ContainSingle().Which.Should().StartWith(expectedPath);
    }

    [Fact]
    public async Task A_direct_messages_section_without_a_pepper_stops_start_up()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Messaging:PublicBaseUrl"] = "https://ehr.example.test/m/",
            ["Messaging:LinkKey"] = LinkKey,
            ["Messaging:DirectMessages:LinkLifetime"] = "1.00:00:00",
        };
        var error = await HostStart.TryAsync(services => services.AddPatientMessaging(Section(settings)).AddInMemoryStore());
        error.Should().NotBeNull();
        error!.Failures.Should().ContainSingle().Which.Should().StartWith("Messaging:DirectMessages:Pepper is required");
    }

    [Fact]
    public async Task Without_a_direct_messages_section_the_host_starts_without_a_pepper()
    {
        var settings = new Dictionary<string, string?> { ["Messaging:PublicBaseUrl"] = "https://ehr.example.test/m/", ["Messaging:LinkKey"] = LinkKey };
        (await HostStart.TryAsync(services => services.AddPatientMessaging(Section(settings)).AddInMemoryStore())).Should().BeNull();
    }

    [Fact]
    public void Code_runs_after_configuration_and_a_missing_setting_can_be_filled_in()
    {
        var services = new ServiceCollection();
        services.AddPatientMessaging(Section(new Dictionary<string, string?> { ["Messaging:MaxPageSize"] = "50" }), o =>
        {
            o.PublicBaseUrl ??= new Uri("https://fallback.example.test/m/");
            o.LinkKey ??= LinkKey;
            o.DefaultPageSize = o.MaxPageSize / 2;
        });
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<PatientMessagingOptions>>().Value;
        options.PublicBaseUrl.Should().Be(new Uri("https://fallback.example.test/m/"));
        options.DefaultPageSize.Should().Be(25);
    }

    [Fact]
    public void Attachment_types_keep_their_default_when_configuration_does_not_list_any()
        => Bound<AttachmentOptions>(new Dictionary<string, string?> { ["Messaging:PublicBaseUrl"] = "https://ehr.example.test/m/" })
            .AllowedContentTypes.Should().Equal(new AttachmentOptions().AllowedContentTypes);
}
