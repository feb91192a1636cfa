using System.Reflection;
using Messaging.Testing.Storage;

namespace Messaging.Storage.EfCore.Tests.Conformance;

public sealed class ConformanceCoverageTests
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public void Every_suite_of_the_kit_runs_against_the_store(string provider)
        => StoreConformance.MissingSuites(Assembly.GetExecutingAssembly(), provider).Should().BeEmpty();
}
