using Messaging.Attachments;
using Microsoft.Extensions.DependencyInjection;
using static Messaging.Tests.Support.TestWorld;

namespace Messaging.Tests.Attachments;

public sealed class FileSystemAttachmentStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "messaging-attachments-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private string[] FilesOnDisk() => Directory.Exists(_root) ? Directory.GetFiles(_root, "*", SearchOption.AllDirectories) : [];

    [Fact]
    public async Task Writes_reads_and_deletes_a_file_under_its_id()
    {
        var store = new FileSystemAttachmentStore(_root);
        var id = AttachmentId.New();
        byte[] bytes = [1, 2, 3, 4, 5];

        await store.WriteAsync(id, new MemoryStream(bytes));
        await using (var read = (await store.OpenReadAsync(id))!)
        {
            using var copy = new MemoryStream();
            await read.CopyToAsync(copy);
            copy.ToArray().Should().Equal(bytes);
        }

        FilesOnDisk().Should().ContainSingle().Which.Should().EndWith(id.ToString());
        await store.DeleteAsync(id);
        await store.DeleteAsync(id); // missing is fine
        (await store.OpenReadAsync(id)).Should().BeNull();
        FilesOnDisk().Should().BeEmpty();
    }

    [Fact]
    public async Task An_existing_id_is_never_overwritten()
    {
        var store = new FileSystemAttachmentStore(_root);
        var id = AttachmentId.New();
        await store.WriteAsync(id, new MemoryStream([1]));

        var again = () => store.WriteAsync(id, new MemoryStream([2]));

        (await again.Should().ThrowAsync<MessagingConflictException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.AlreadyExists);
        FilesOnDisk().Should().ContainSingle();
    }

    [Fact]
    public async Task An_upload_over_the_limit_leaves_no_file_not_even_a_partial_one()
    {
        await using var world = await CreateAsync(configure: services =>
        {
            services.Configure<AttachmentOptions>(o => o.MaxBytes = 100_000);
            new PatientMessagingBuilderProbe(services).AddFileSystemAttachmentStore(_root);
        });
        var big = new byte[300_000];
        "%PDF-"u8.CopyTo(big);

        var upload = () => world.Services.GetRequiredService<IAttachmentService>().UploadAsync(Bob, Dermatology, new AttachmentUpload("big.pdf", "application/pdf", new MemoryStream(big)));

        (await upload.Should().ThrowAsync<MessagingValidationException>()).Which.ErrorCode.Should().Be(MessagingErrorCodes.AttachmentTooLarge);
        world.Services.GetRequiredService<IAttachmentStore>().Should().BeOfType<FileSystemAttachmentStore>();
        FilesOnDisk().Should().BeEmpty();
    }

    private sealed class PatientMessagingBuilderProbe(IServiceCollection services) : IPatientMessagingBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
