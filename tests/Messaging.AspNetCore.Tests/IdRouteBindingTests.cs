using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;

namespace Messaging.AspNetCore.Tests;

/// <summary>Minimal APIs bind the SDK's ids from route values (they are <see cref="IParsable{TSelf}"/>) and write them as plain JSON strings.</summary>
public sealed class IdRouteBindingTests
{
    private static async Task<WebApplication> StartAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        var app = builder.Build();
        app.MapGet("/conversations/{id}", (ConversationId id) => id);
        app.MapGet("/patients/{id}", (PatientId id) => new { Patient = id, Conversations = new Dictionary<ConversationId, int>() });
        await app.StartAsync();
        return app;
    }

    [Fact]
    public async Task A_conversation_id_binds_from_the_route_and_returns_as_a_json_string()
    {
        await using var app = await StartAsync();
        var id = ConversationId.New();

        var response = await app.GetTestClient().GetAsync(new Uri($"/conversations/{id}", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be($"\"{id}\"");
    }

    [Fact]
    public async Task The_hyphenated_guid_form_binds_too()
    {
        await using var app = await StartAsync();
        var id = ConversationId.New();

        var response = await app.GetTestClient().GetAsync(new Uri($"/conversations/{id.Value:D}", UriKind.Relative));

        (await response.Content.ReadAsStringAsync()).Should().Be($"\"{id.Value:N}\"");
    }

    [Fact]
    public async Task A_value_that_is_not_an_id_is_a_bad_request()
    {
        await using var app = await StartAsync();

        var response = await app.GetTestClient().GetAsync(new Uri("/conversations/not-an-id", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_host_key_id_binds_and_nests_in_json_as_a_string()
    {
        await using var app = await StartAsync();

        var response = await app.GetTestClient().GetAsync(new Uri("/patients/p-1001", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("{\"patient\":\"p-1001\",\"conversations\":{}}");
    }
}
