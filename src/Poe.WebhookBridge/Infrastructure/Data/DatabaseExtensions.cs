using Microsoft.EntityFrameworkCore;
using Npgsql;
using Poe.WebhookBridge.Infrastructure.Configuration;

namespace Poe.WebhookBridge.Infrastructure.Data;

internal static class DatabaseExtensions
{
    public const string ConnectionStringKey = "ConnectionStrings:Postgres";

    public static WebApplicationBuilder AddBridgeDatabase(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("Postgres");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException($"{ConnectionStringKey}: is required (a PostgreSQL connection string).");
        }

        NpgsqlDataSource dataSource;
        try
        {
            var builderOfSource = new NpgsqlDataSourceBuilder(ConnectionDefaults.Apply(connectionString)) { Name = "bridge" };
            ConnectionDefaults.ReserveThreads(builderOfSource.ConnectionStringBuilder.MaxPoolSize);
            dataSource = builderOfSource.Build();
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"{ConnectionStringKey}: is not a valid PostgreSQL connection string ({ex.Message}).", ex);
        }

        builder.Services.AddSingleton(dataSource);
        // Every write is raw SQL (only Data Protection adds its keys through the context): nothing is saved through
        // the change tracker, so no query fills it.
        builder.Services.AddDbContext<BridgeDbContext>(options => options
            .UseNpgsql(dataSource, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history", BridgeDbContext.Schema))
            .UseSnakeCaseNamingConvention()
            .UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking));
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName).ValidateOnStart();
        return builder;
    }
}
