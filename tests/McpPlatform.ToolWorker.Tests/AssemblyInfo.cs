// Every test starts real worker processes (about half a CPU-second each): one class at a time, so
// this assembly does not starve the ones CI runs beside it on two cores (their Redis and HTTP
// timeouts are real).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
