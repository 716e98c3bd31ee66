using Npgsql;

namespace McpPlatform.AppHost.Tests;

/// <summary>
/// The README's run command as a person uses it: start, stop with Ctrl+C, start again.
/// Runs infrastructure only (Platform:InfrastructureOnly) so it can share the machine with
/// the fixture's platform, whose services hold the fixed local ports.
/// </summary>
public sealed class RunCommandTests
{
    [Fact]
    public async Task RunTwice_CtrlCBetween_LeavesNoOrphansAndKeepsPostgresData()
    {
        var folder = TestSettings.NewDataFolder();
        try
        {
            var marker = Guid.NewGuid().ToString();
            string[] arguments = ["--Infrastructure:Mode=local", $"--LocalInfrastructure:DataPath={folder}", "--Platform:InfrastructureOnly=true"];

            await using (var first = AppHostProcess.Start(arguments))
            {
                await using var source = await WaitForPostgresAsync(first, folder);
                await source.CreateCommand("CREATE TABLE run_marker (value text)").ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
                await using var insert = source.CreateCommand("INSERT INTO run_marker VALUES ($1)");
                insert.Parameters.Add(new NpgsqlParameter { Value = marker });
                await insert.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);

                await first.InterruptAsync(TestSettings.StartTimeout);
            }

            LocalProcesses.WaitUntilNoneUse(folder, TestSettings.StepTimeout);

            await using (var second = AppHostProcess.Start(arguments))
            {
                await using var source = await WaitForPostgresAsync(second, folder);
                await using var select = source.CreateCommand("SELECT count(*) FROM run_marker WHERE value = $1");
                select.Parameters.Add(new NpgsqlParameter { Value = marker });
                (await select.ExecuteScalarAsync(TestContext.Current.CancellationToken)).ShouldBe(1L);

                await second.InterruptAsync(TestSettings.StartTimeout);
                second.Output.ShouldContain("Infrastructure mode: Local");
            }

            LocalProcesses.WaitUntilNoneUse(folder, TestSettings.StepTimeout);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<NpgsqlDataSource> WaitForPostgresAsync(AppHostProcess appHost, string folder)
    {
        await appHost.WaitForOutputAsync("Distributed application started", TestSettings.StartTimeout);
        var deadline = DateTime.UtcNow + TestSettings.StartTimeout;

        // "Started" means the AppHost is up, not that DCP has launched postgres yet: on a loaded
        // machine (the shared platform fixture starting beside this test) it can take seconds.
        while (!LocalProcesses.Using(folder).Any(p => p.CommandLine.Contains("/postgres -D ", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        var password = await File.ReadAllTextAsync(Path.Combine(folder, "postgres.password"));
        var source = NpgsqlDataSource.Create(
            $"Host=127.0.0.1;Port={LocalProcesses.PostgresPort(folder)};Username=postgres;Password={password.Trim()};Database=postgres;Timeout=5");

        while (true)
        {
            try
            {
                await source.CreateCommand("SELECT 1").ExecuteScalarAsync();
                return source;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }
}
