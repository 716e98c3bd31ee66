using McpPlatform.ToolWorker;
using McpPlatform.ToolWorker.Protocol;

// The worker loop runs on a thread of its own so that the stack scripts run on is known
// (the main thread's stack follows ulimit, which the sandbox does not fix); the stack-overflow
// guard turns deeper recursion into a catchable RangeError well before this is used up.
const int StackBytes = 16 * 1024 * 1024;

var exitCode = ToolWorkerExitCodes.ProtocolError;
var thread = new Thread(() => exitCode = WorkerLoop.Run(Console.OpenStandardInput(), Console.OpenStandardOutput()), StackBytes)
{
    Name = "toolworker",
};
thread.Start();
thread.Join();
return exitCode;
