using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Messaging.Tests.DependencyInjection;

public sealed class LogEventIdTests
{
    [Fact]
    public void Every_log_message_of_the_sdk_has_its_own_event_id()
    {
        var ids = typeof(Messaging.Log).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(x => x.Attribute is not null)
            .Select(x => (Name: $"{x.Method.DeclaringType!.Name}.{x.Method.Name}", x.Attribute!.EventId))
            .ToList();

        ids.Should().HaveCountGreaterThan(10);
        ids.GroupBy(x => x.EventId).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(x => x.Name))}")
            .Should().BeEmpty("an event id names one kind of log line, so operators can filter and alert on it");
    }
}
