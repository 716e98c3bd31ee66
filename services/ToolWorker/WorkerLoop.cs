using McpPlatform.ToolWorker.Protocol;

namespace McpPlatform.ToolWorker;

/// <summary>
/// The worker's life: warm up, say "ready", then answer "run" lines one at a time until stdin
/// closes (exit 0), the host breaks the protocol (exit 2) or a run runs out of memory (exit 3).
/// </summary>
internal static class WorkerLoop
{
    /// <summary>Runs the worker over the given pipes and returns its exit code.</summary>
    public static int Run(Stream input, Stream output)
    {
        var channel = new ProtocolChannel(input, output);
        try
        {
            Warmup.Run(channel);
            channel.Write(new WorkerMessage("ready"));
            while (channel.Read() is { } message)
            {
                if (message.Type != "run" || message.Script is null || message.Limits is not { } limits
                    || limits.MaxStatements < 0 || limits.MaxRecursion < 0 || limits.MaxOutputBytes < 0 || limits.MaxFetches < 0)
                {
                    // Also a "fetched" here: no fetch is pending between runs.
                    throw new ProtocolViolationException("expected a run line");
                }

                var result = ScriptRun.Execute(message, channel);
                Write(channel, result);
                if (result.ExitCode is { } exitCode)
                {
                    return exitCode;
                }
            }

            return 0;
        }
        catch (ProtocolViolationException)
        {
            return ToolWorkerExitCodes.ProtocolError;
        }
        catch (OutOfMemoryException)
        {
            return ToolWorkerExitCodes.OutOfMemory;
        }
    }

    private static void Write(ProtocolChannel channel, RunResult result)
    {
        try
        {
            channel.Write(result.Done);
        }
        catch (OutOfMemoryException) when (result.ExitCode == ToolWorkerExitCodes.OutOfMemory)
        {
            // No room even for the console text: the outcome without it.
            GC.Collect();
            channel.Write(result.Done with { Console = null });
        }
    }
}
