using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Messaging.Testing.Providers;

/// <summary>
/// Put on a concrete provider conformance class to skip, with a reason, the tests it cannot run here: because a server
/// it needs is not available, or because its provider cannot give some <see cref="ProviderAnswer"/>s at all (see
/// <see cref="CannotAnswerAttribute"/>). Derive from it for your own condition.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public abstract class ProviderConditionAttribute : Attribute
{
    /// <summary>Why a test that needs <paramref name="answers"/> cannot run here, or <see langword="null"/> when it can.</summary>
    /// <param name="answers">The answers the test arranges; empty for a test that arranges none (e.g. a webhook test).</param>
    public abstract string? SkipReason(IReadOnlyCollection<ProviderAnswer> answers);
}

/// <summary>
/// Says that a provider cannot give an answer at all, e.g. SMTP has no <c>Retry-After</c>: tests that need it are
/// skipped with <paramref name="reason"/>, and the tests that try every answer leave it out.
/// </summary>
/// <param name="answer">The answer the provider cannot give.</param>
/// <param name="reason">Why, for the test report.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class CannotAnswerAttribute(ProviderAnswer answer, string reason) : ProviderConditionAttribute
{
    /// <summary>The answer the provider cannot give.</summary>
    public ProviderAnswer Answer { get; } = answer;

    /// <summary>Why.</summary>
    public string Reason { get; } = reason;

    /// <inheritdoc />
    public override string? SkipReason(IReadOnlyCollection<ProviderAnswer> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        return answers.Contains(Answer) ? $"The provider cannot answer {Answer}: {Reason}" : null;
    }
}

/// <summary>A provider conformance test that arranges <see cref="Answers"/>; skipped when the concrete class's conditions say so.</summary>
/// <param name="answers">The answers the test arranges.</param>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("Messaging.Testing.Providers.ProviderFactDiscoverer", "Messaging.Testing")]
internal sealed class ProviderFactAttribute(params ProviderAnswer[] answers) : FactAttribute
{
    public IReadOnlyCollection<ProviderAnswer> Answers { get; } = answers;
}

/// <summary>Discovers <see cref="ProviderFactAttribute"/> tests as <see cref="ProviderTestCase"/>s.</summary>
/// <param name="diagnosticMessageSink">Where xunit's diagnostics go.</param>
internal sealed class ProviderFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    protected override IXunitTestCase CreateTestCase(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
        => new ProviderTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod);
}

/// <summary>A provider conformance test case whose skip reason comes from the concrete class's <see cref="ProviderConditionAttribute"/>s.</summary>
internal sealed class ProviderTestCase : XunitTestCase
{
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public ProviderTestCase()
    {
    }

    public ProviderTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay defaultMethodDisplay, TestMethodDisplayOptions defaultMethodDisplayOptions, ITestMethod testMethod)
        : base(diagnosticMessageSink, defaultMethodDisplay, defaultMethodDisplayOptions, testMethod)
    {
    }

    protected override string GetSkipReason(IAttributeInfo factAttribute)
    {
        var answers = factAttribute is IReflectionAttributeInfo { Attribute: ProviderFactAttribute fact } ? fact.Answers : [];
        foreach (var attribute in TestMethod.TestClass.Class.GetCustomAttributes(typeof(ProviderConditionAttribute)))
        {
            if (attribute is IReflectionAttributeInfo { Attribute: ProviderConditionAttribute condition } && condition.SkipReason(answers) is { } reason)
            {
                return reason;
            }
        }

        return base.GetSkipReason(factAttribute);
    }
}
