using System.Security.Cryptography;

namespace Messaging.Attachments;

/// <summary>Checks on an upload's name, type and bytes (R11).</summary>
internal static class AttachmentContent
{
    internal const int MaxFileNameLength = 255;

    /// <summary>The leading bytes each format must start with; types not listed are accepted on their declared type alone.</summary>
    private static readonly Dictionary<string, byte[][]> Signatures = new(StringComparer.Ordinal)
    {
        ["application/pdf"] = ["%PDF-"u8.ToArray()],
        ["image/png"] = [[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]],
        ["image/jpeg"] = [[0xFF, 0xD8, 0xFF]],
    };

    internal const int SignatureLength = 8;

    /// <summary><c>type/subtype</c> in lower case without parameters, or <see langword="null"/> when it is not one.</summary>
    public static string? NormaliseContentType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return null;
        }

        var bare = contentType.Split(';', 2)[0].Trim().ToLowerInvariant();
        var parts = bare.Split('/');
        return parts.Length == 2 && parts.All(p => p.Length > 0 && p.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '+' or '-' or '_'))
            ? bare
            : null;
    }

    /// <summary>The name without any directory part (either separator), checked.</summary>
    public static string CleanFileName(string? fileName)
    {
        var name = (fileName ?? string.Empty).Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..].Trim();
        if (name.Length == 0 || name is "." or "..")
        {
            throw Errors.Required("fileName");
        }

        if (name.Length > MaxFileNameLength)
        {
            throw new MessagingValidationException(MessagingErrorCodes.TooLong, $"A file name must be at most {MaxFileNameLength} characters long.", "fileName");
        }

        if (name.Any(char.IsControl))
        {
            throw new MessagingValidationException(MessagingErrorCodes.OutOfRange, "A file name must not contain control characters.", "fileName");
        }

        return name;
    }

    /// <summary>Whether the first bytes fit the type (always, for types without a known signature).</summary>
    public static bool MatchesSignature(string contentType, ReadOnlySpan<byte> head)
    {
        if (!Signatures.TryGetValue(contentType, out var signatures))
        {
            return true;
        }

        foreach (var signature in signatures)
        {
            if (head.StartsWith(signature))
            {
                return true;
            }
        }

        return false;
    }

    public static MessagingValidationException TooLarge(long max)
        => new(MessagingErrorCodes.AttachmentTooLarge, $"The file is larger than the limit of {max:N0} bytes.", "content");

    public static MessagingValidationException TypeRefused(string? contentType, IEnumerable<string> allowed)
        => new(MessagingErrorCodes.AttachmentTypeRefused, $"Files of type '{contentType}' are not accepted; allowed types: {string.Join(", ", allowed)}.", "contentType");

    public static MessagingValidationException SignatureMismatch(string contentType)
        => new(MessagingErrorCodes.AttachmentTypeRefused, $"The file's content is not {contentType}, as its type says.", "contentType");
}

/// <summary>
/// A read-only pass-through over an upload that counts and hashes what the attachment store reads, and throws
/// <see cref="MessagingValidationException"/> as soon as the file passes the size limit, so an over-size upload is
/// never read (or stored) to its end.
/// </summary>
internal sealed class MeteredUploadStream(Stream inner, byte[] head, int headLength, long maxBytes) : Stream
{
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private int _headPosition;
    private long _length;

    public long BytesRead => _length;

    public string HashHex() => Convert.ToHexString(_sha256.GetHashAndReset()).ToLowerInvariant();

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _length; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = ReadHead(buffer);
        if (read == 0 && buffer.Length > 0)
        {
            read = inner.Read(buffer);
        }

        return Account(buffer[..read]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = ReadHead(buffer.Span);
        if (read == 0 && buffer.Length > 0)
        {
            read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        return Account(buffer.Span[..read]);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sha256.Dispose(); // the caller's stream is theirs to dispose
        }

        base.Dispose(disposing);
    }

    private int ReadHead(Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, headLength - _headPosition);
        if (n <= 0)
        {
            return 0;
        }

        head.AsSpan(_headPosition, n).CopyTo(buffer);
        _headPosition += n;
        return n;
    }

    private int Account(ReadOnlySpan<byte> read)
    {
        _length += read.Length;
        if (_length > maxBytes)
        {
            throw AttachmentContent.TooLarge(maxBytes);
        }

        _sha256.AppendData(read);
        return read.Length;
    }
}
