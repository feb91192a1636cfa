using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Messaging.Testing.Storage;

/// <summary>
/// A conformance test. Like <see cref="FactAttribute"/>, but skipped (with the reason) when the concrete test class
/// carries a <see cref="StoreConditionAttribute"/> that is not met, e.g. a database that is not available here.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("Messaging.Testing.Storage.StoreFactDiscoverer", "Messaging.Testing")]
public sealed class StoreFactAttribute : FactAttribute;

/// <summary>
/// Put on a concrete conformance test class to skip its tests when something it needs is missing. Derive from it
/// for your own condition; <see cref="RequiresEnvironmentVariableAttribute"/> covers the common case.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public abstract class StoreConditionAttribute : Attribute
{
    /// <summary>Why the tests cannot run here, or <see langword="null"/> when they can.</summary>
    public abstract string? SkipReason { get; }
}

/// <summary>Skips the class's conformance tests when an environment variable (e.g. a connection string) is not set.</summary>
/// <param name="name">The environment variable.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class RequiresEnvironmentVariableAttribute(string name) : StoreConditionAttribute
{
    /// <summary>The environment variable.</summary>
    public string Name { get; } = name;

    /// <inheritdoc />
    public override string? SkipReason
        => string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Name)) ? $"{Name} is not set." : null;
}

/// <summary>Discovers <see cref="StoreFactAttribute"/> tests as <see cref="StoreTestCase"/>s.</summary>
/// <param name="diagnosticMessageSink">Where xunit's diagnostics go.</param>
internal sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    /// <inheritdoc />
    protected override IXunitTestCase CreateTestCase(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
        => new StoreTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod);
}

/// <summary>A conformance test case whose skip reason comes from the concrete class's <see cref="StoreConditionAttribute"/>s.</summary>
internal sealed class StoreTestCase : XunitTestCase
{
    /// <summary>For xunit's deserialisation only.</summary>
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public StoreTestCase()
    {
    }

    /// <summary>Creates the test case.</summary>
    /// <param name="diagnosticMessageSink">Where xunit's diagnostics go.</param>
    /// <param name="defaultMethodDisplay">How to name the test.</param>
    /// <param name="defaultMethodDisplayOptions">How to name the test.</param>
    /// <param name="testMethod">The test.</param>
    public StoreTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay defaultMethodDisplay, TestMethodDisplayOptions defaultMethodDisplayOptions, ITestMethod testMethod)
        : base(diagnosticMessageSink, defaultMethodDisplay, defaultMethodDisplayOptions, testMethod)
    {
    }

    /// <inheritdoc />
    protected override string GetSkipReason(IAttributeInfo factAttribute)
    {
        foreach (var attribute in TestMethod.TestClass.Class.GetCustomAttributes(typeof(StoreConditionAttribute)))
        {
            if (attribute is IReflectionAttributeInfo { Attribute: StoreConditionAttribute { SkipReason: { } reason } })
            {
                return reason;
            }
        }

        return base.GetSkipReason(factAttribute);
    }
}
