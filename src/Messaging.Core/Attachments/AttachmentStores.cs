using System.Collections.Concurrent;

namespace Messaging.Attachments;

/// <summary>Keeps attachment bytes in memory: for tests and demos. Everything is lost when the process ends.</summary>
internal sealed class InMemoryAttachmentStore : IAttachmentStore
{
    private readonly ConcurrentDictionary<AttachmentId, byte[]> _files = new();

    /// <summary>How many files are stored (for tests).</summary>
    internal int Count => _files.Count;

    public async Task WriteAsync(AttachmentId id, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false); // throws before anything is kept
        if (!_files.TryAdd(id, buffer.ToArray()))
        {
            throw new MessagingConflictException(MessagingErrorCodes.AlreadyExists, $"Attachment '{id}' already exists.");
        }
    }

    public Task<Stream?> OpenReadAsync(AttachmentId id, CancellationToken cancellationToken = default)
        => Task.FromResult<Stream?>(_files.TryGetValue(id, out var bytes) ? new MemoryStream(bytes, writable: false) : null);

    public Task DeleteAsync(AttachmentId id, CancellationToken cancellationToken = default)
    {
        _files.TryRemove(id, out _);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Keeps attachment bytes as files under a root directory, one file per attachment in two levels of sub-directories
/// (<c>ab/cd/abcd…</c>) so no directory grows too large. A file is written under a temporary name and moved into place
/// only when complete, so a failed or refused upload never leaves a partial file under its id.
/// </summary>
internal sealed class FileSystemAttachmentStore : IAttachmentStore
{
    private const int BufferSize = 81920;
    private readonly string _root;

    public FileSystemAttachmentStore(string rootPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootPath);
        _root = Path.GetFullPath(rootPath);
        Directory.CreateDirectory(_root);
    }

    public async Task WriteAsync(AttachmentId id, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var path = PathOf(id);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.partial";
        try
        {
            var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                await content.CopyToAsync(file, BufferSize, cancellationToken).ConfigureAwait(false);
                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
            throw new MessagingConflictException(MessagingErrorCodes.AlreadyExists, $"Attachment '{id}' already exists.");
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    public Task<Stream?> OpenReadAsync(AttachmentId id, CancellationToken cancellationToken = default)
    {
        var path = PathOf(id);
        try
        {
            return Task.FromResult<Stream?>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public Task DeleteAsync(AttachmentId id, CancellationToken cancellationToken = default)
    {
        var path = PathOf(id);
        if (File.Exists(path))
        {
            File.Delete(path);
        }

        return Task.CompletedTask;
    }

    private string PathOf(AttachmentId id)
    {
        var name = id.ToString(); // 32 lower-case hex digits: nothing a path could be built from
        return Path.Combine(_root, name[..2], name[2..4], name);
    }
}
