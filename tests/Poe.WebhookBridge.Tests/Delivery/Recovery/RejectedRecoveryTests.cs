using System.Net;
using System.Text;
using Poe.WebhookBridge.Tests.Support;

namespace Poe.WebhookBridge.Tests.Delivery.Recovery;

public sealed class RejectedRecoveryTests(DeliveryBridge fixture) : DeliveryTest(fixture)
{
    public static TheoryData<string, string, HttpStatusCode> Bodies => new()
    {
        { "since as a string", """{"since":"1"}""", HttpStatusCode.BadRequest },
        { "since after until", """{"since":10,"until":5}""", HttpStatusCode.BadRequest },
        { "no since", """{"until":5}""", HttpStatusCode.BadRequest },
        { "a fraction", """{"since":1.5}""", HttpStatusCode.BadRequest },
        { "a negative time", """{"since":-1}""", HttpStatusCode.BadRequest },
        { "a huge number", """{"since":1e400}""", HttpStatusCode.BadRequest },
        { "past DateTimeOffset", """{"since":99999999999999999}""", HttpStatusCode.BadRequest },
        { "an unknown field", """{"since":1,"status":"failed"}""", HttpStatusCode.BadRequest },
        { "a duplicate field", """{"since":1,"since":2}""", HttpStatusCode.BadRequest },
        { "not an object", """[{"since":1}]""", HttpStatusCode.BadRequest },
        { "an endpoint that is no string", """{"since":1,"endpoint":5}""", HttpStatusCode.BadRequest },
        { "a NUL in the endpoint", """{"since":1,"endpoint":"ep_\u0000"}""", HttpStatusCode.BadRequest },
        { "an endpoint that is no endpoint id", """{"since":1,"endpoint":"ep_' OR 1=1--"}""", HttpStatusCode.BadRequest },
        { "an unpaired surrogate", """{"since":1,"endpoint":"\ud800"}""", HttpStatusCode.BadRequest },
        { "truncated JSON", """{"since":""", HttpStatusCode.BadRequest },
        { "an empty body", "", HttpStatusCode.BadRequest },
        { "deep nesting", """{"since":1,"until":""" + new string('[', 5000) + new string(']', 5000) + "}", HttpStatusCode.BadRequest },
        { "an unknown endpoint", """{"since":1,"endpoint":"ep_unknown"}""", HttpStatusCode.NotFound },
        { "over 64 KiB", """{"since":1,"endpoint":" """ + new string('x', 70_000) + "\"}", HttpStatusCode.RequestEntityTooLarge },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_malformed_or_hostile_recover_body_is_a_problem_and_changes_nothing(string what, string body, HttpStatusCode expected)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var watchId = await Shop.CreateWatchAsync("video_hostile", receiver.Url);
        await DeadEvents.SeedAsync(Bridge, watchId, 3, DateTimeOffset.UtcNow.AddHours(-1));
        var before = await Bridge.Database.SnapshotAsync() + await DeadEvents.StatesAsync(Bridge);

        using var response = await Shop.PostAsync(new Uri("/v1/events/recover", UriKind.Relative), Http.Json(body));

        var problem = await response.AssertProblemAsync(expected);
        Assert.True(expected != HttpStatusCode.BadRequest || problem.TryGetProperty("detail", out _) || problem.TryGetProperty("errors", out _), what);
        await Task.Delay(DeliveryBridge.RetryStep * 2);
        Assert.Equal(before, await Bridge.Database.SnapshotAsync() + await DeadEvents.StatesAsync(Bridge));
        Assert.Empty(receiver.Received);
    }

    [Fact]
    public async Task A_recover_body_that_is_not_JSON_is_415_and_a_request_without_a_key_is_401()
    {
        using var text = await Shop.PostAsync(new Uri("/v1/events/recover", UriKind.Relative), new StringContent("""{"since":1}""", Encoding.UTF8, "text/plain"));
        using var anonymous = Bridge.ClientFor(apiKey: null);
        using var unauthorized = await anonymous.PostAsync(new Uri("/v1/events/recover", UriKind.Relative), Http.Json("""{"since":1}"""));

        await text.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Equal(0, await Bridge.Database.QueryAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Recoveries)));
    }
}
