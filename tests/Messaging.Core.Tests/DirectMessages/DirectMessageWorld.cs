using System.Text.RegularExpressions;
using Messaging.DirectMessages;
using Messaging.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Messaging.Tests.Support.TestWorld;

namespace Messaging.Tests.DirectMessages;

/// <summary>The seeded test world with Direct Messages configured (cheap Argon2 unless a test needs the defaults) and credits bought.</summary>
internal static partial class DirectMessageWorld
{
    public const string Subject = "Your biopsy results";
    public const string Content = "The biopsy showed a benign naevus. No further treatment is needed.";
    public const string LetterName = "results-letter.pdf";

    [GeneratedRegex(@"https://ehr\.example\.nhs\.uk/m/d/([A-Za-z0-9_-]{22})")]
    public static partial Regex LinkPattern();

    [GeneratedRegex(@" ([A-Z0-9]{8,32})$")]
    private static partial Regex CodePattern();

    public static async Task<TestWorld> DmWorldAsync(
        IArgon2idHasher? argon2 = null,
        int maxConcurrentHashes = 4,
        Action<DirectMessageSecurityOptions>? tweak = null,
        int credits = 100,
        Action<IServiceCollection>? register = null)
    {
        var world = await TestWorld.CreateAsync(configure: services =>
        {
            register?.Invoke(services);
            if (argon2 is not null)
            {
                services.AddSingleton(argon2);
            }

            services.Configure<DirectMessageSecurityOptions>(o =>
            {
                var cheap = AccessCodeTestSupport.Options(maxConcurrent: maxConcurrentHashes);
                o.Pepper = cheap.Pepper;
                o.Argon2 = cheap.Argon2;
                o.MaxConcurrentHashes = cheap.MaxConcurrentHashes;
                o.HashQueueTimeout = cheap.HashQueueTimeout;
                tweak?.Invoke(o);
            });
        });
        if (credits > 0)
        {
            await world.Credits.PurchaseAsync(Alice, Trust, credits, "INV-1");
        }

        return world;
    }

    public static IDirectMessageService DirectMessages(this TestWorld world) => world.Services.GetRequiredService<IDirectMessageService>();

    public static SendDirectMessageRequest Request(string? idempotencyKey = null, params AttachmentId[] attachments) => new()
    {
        WorkspaceId = Dermatology,
        PatientId = Jane,
        Subject = Subject,
        Body = Content,
        Attachments = attachments,
        IdempotencyKey = idempotencyKey,
    };

    /// <summary>A small PDF letter, uploaded by Bob to the dermatology workspace.</summary>
    public static Task<Attachment> UploadLetterAsync(TestWorld world, byte[]? content = null)
        => world.Services.GetRequiredService<IAttachmentService>().UploadAsync(Bob, Dermatology, new AttachmentUpload(LetterName, "application/pdf", new MemoryStream(content ?? LetterBytes())));

    public static byte[] LetterBytes()
    {
        var bytes = new byte[1000];
        "%PDF-1.7\n"u8.CopyTo(bytes);
        return bytes;
    }

    /// <summary>Sends a Direct Message with a letter from Bob and lets the outbox deliver both halves.</summary>
    public static async Task<(DirectMessageView Dm, string Token, string Code)> SendAndDeliverAsync(TestWorld world)
    {
        var letter = await UploadLetterAsync(world);
        var dm = await world.DirectMessages().SendAsync(Bob, Request(attachments: letter.Id));
        await world.Dispatcher.DispatchDueAsync();
        return (dm, LatestToken(world), LatestCode(world));
    }

    /// <summary>The link token in the latest email the patient received.</summary>
    public static string LatestToken(TestWorld world) => LinkPattern().Match(world.Email.Accepted[^1].TextBody).Groups[1].Value;

    /// <summary>The access code in the latest SMS the patient received.</summary>
    public static string LatestCode(TestWorld world) => CodePattern().Match(world.Sms.Accepted[^1].Body).Groups[1].Value;

    /// <summary>A code of the right shape that is not <paramref name="code"/>.</summary>
    public static string WrongCode(string code) => code[0] == 'A' ? "C" + code[1..] : "A" + code[1..];

    public static async Task<DirectMessage> StoredAsync(TestWorld world, DirectMessageId id) => (await world.Store.GetDirectMessageAsync(id))!;
}
