using Messaging.DirectMessages;
using static Messaging.Tests.DirectMessages.AccessCodeTestSupport;

namespace Messaging.Tests.DirectMessages;

public sealed class DirectMessageSecurityOptionsTests
{
    private static readonly DirectMessageSecurityOptionsValidator Validator = new();

    [Fact]
    public void Valid_settings_pass()
        => Validator.Validate(null, Options()).Succeeded.Should().BeTrue();

    [Fact]
    public void Defaults_are_owasp_argon2_and_need_only_a_pepper()
    {
        var options = new DirectMessageSecurityOptions { Pepper = NewPepper() };

        options.Argon2.ToParameters().Should().Be(Argon2idParameters.Owasp);
        options.MaxConcurrentHashes.Should().Be(Math.Max(1, Environment.ProcessorCount));
        Validator.Validate(null, options).Succeeded.Should().BeTrue();
    }

    [Fact]
    public void A_missing_pepper_fails_naming_the_setting()
    {
        var result = Validator.Validate(null, new DirectMessageSecurityOptions());

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain("Messaging:DirectMessages:Pepper is required");
    }

    [Theory]
    [InlineData(31)]
    [InlineData(16)]
    public void A_pepper_shorter_than_32_bytes_fails_without_echoing_it(int bytes)
    {
        var pepper = Convert.ToBase64String(Enumerable.Range(1, bytes).Select(i => (byte)i).ToArray());

        var result = Validator.Validate(null, Options(pepper: pepper));

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain("Messaging:DirectMessages:Pepper must be at least 32 bytes of base64").And.NotContain(pepper);
    }

    [Fact]
    public void A_pepper_that_is_not_base64_fails_without_echoing_it()
    {
        const string Pepper = "this is not base64 but it is long enough to be 32 bytes!!";

        var result = Validator.Validate(null, Options(pepper: Pepper));

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain("Messaging:DirectMessages:Pepper").And.NotContain(Pepper);
    }

    [Fact]
    public void Impossible_argon2_settings_fail_naming_each_setting()
    {
        var options = Options();
        options.Argon2 = new Argon2idOptions { MemoryKiB = 8, Iterations = 0, Parallelism = 2 };

        var result = Validator.Validate(null, options);

        result.Failures.Should().Contain(f => f.Contains("Messaging:DirectMessages:Argon2:MemoryKiB", StringComparison.Ordinal))
            .And.Contain(f => f.Contains("Messaging:DirectMessages:Argon2:Iterations", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(4, -1)]
    public void Concurrency_and_queue_timeout_must_be_sensible(int maxConcurrent, int timeoutSeconds)
    {
        var options = Options(maxConcurrent: maxConcurrent, queueTimeout: TimeSpan.FromSeconds(timeoutSeconds));

        var result = Validator.Validate(null, options);

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain(maxConcurrent == 0 ? "MaxConcurrentHashes" : "HashQueueTimeout");
    }
}
