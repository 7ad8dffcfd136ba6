using Microsoft.EntityFrameworkCore;
using Poe.WebhookBridge.Infrastructure.Data;

namespace Poe.WebhookBridge.Tests.Infrastructure;

public sealed class MigrationTests
{
    /// <summary>
    /// A start-up applies migrations only when some are pending, so a model changed without its migration would go
    /// unnoticed there: this is where it is caught.
    /// </summary>
    [Fact]
    public void The_model_is_the_one_the_last_migration_builds()
    {
        using var context = new DesignTimeDbContextFactory().CreateDbContext([]);

        Assert.False(context.Database.HasPendingModelChanges(), "the model changed: add a migration (dotnet ef migrations add …)");
    }
}
