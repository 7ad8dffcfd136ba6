namespace Poe.WebhookBridge.Bench.Infrastructure;

/// <summary>
/// A database the bridge migrates once per run; every bridge database is created as a copy of it, so each bridge
/// starts on a current schema instead of spending 10–30 s (under load) on EF migrations and Hangfire's installer.
/// </summary>
public static class BridgeTemplate
{
    public const string Name = "bench_template";

    public static async Task CreateAsync(BenchContext context)
    {
        var db = await context.Postgres.CreateDatabaseAsync(Name);
        // It never polls: nothing is registered, and no Poe listens on the discard port.
        await using (await context.StartBridgeAsync("template", db, new Uri("http://127.0.0.1:9/"), "poe-key-template", new Dictionary<string, string>()))
        {
        }

        // What the bridge wrote while it ran (its Poe key and rate slots, data-protection keys, Hangfire's server,
        // recurring jobs, locks) is not schema: each copy must start as empty as a freshly migrated database.
        await context.Postgres.ExecuteAsync("""
            DO $$
            DECLARE t text;
            BEGIN
                FOR t IN SELECT format('%I.%I', schemaname, tablename) FROM pg_tables
                         WHERE schemaname IN ('bridge', 'hangfire') AND tablename NOT IN ('__ef_migrations_history', 'schema')
                LOOP
                    EXECUTE 'TRUNCATE ' || t || ' CASCADE';
                END LOOP;
            END $$
            """, Name);
    }
}
