namespace McpPlatform.ToolWorker;

/// <summary>
/// The host broke the protocol (unparseable line, unknown type, an unexpected "fetched", a line over
/// 16 MiB): the worker exits with <see cref="Protocol.ToolWorkerExitCodes.ProtocolError"/> without writing.
/// Thrown through the script engine too (it is no JavaScript error, so no script can catch it).
/// </summary>
internal sealed class ProtocolViolationException(string reason) : Exception(reason);
