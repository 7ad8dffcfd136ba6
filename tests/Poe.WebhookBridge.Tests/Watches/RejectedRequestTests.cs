using Poe.WebhookBridge.Tests.Support;

namespace Poe.WebhookBridge.Tests.Watches;

public sealed class RejectedRequestTests(BridgeFactory bridge) : BridgeTest(bridge)
{
    public static TheoryData<string> Cases => RejectedRequests.Names();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_bad_request_gets_its_problem_and_changes_nothing_in_the_database(string rejectionName)
    {
        var rejection = RejectedRequests.All[rejectionName];
        var context = new RejectionContext(Bridge, Shop, await Studio.CreateWatchAsync("video_of_studio"));
        if (rejection.Arrange is not null)
        {
            await rejection.Arrange(context);
        }

        var before = await Database.SnapshotAsync();
        using var response = await rejection.Send(context);

        var problem = await response.AssertProblemAsync(rejection.Status);
        if (rejection.Field is not null)
        {
            Assert.True(problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(rejection.Field, out _),
                $"The problem should name '{rejection.Field}': {problem}");
        }

        Assert.Equal(before, await Database.SnapshotAsync());
    }
}
