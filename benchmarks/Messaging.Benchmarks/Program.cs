using BenchmarkDotNet.Running;

// Run one suite:   dotnet run -c Release --project benchmarks/Messaging.Benchmarks -- --filter '*Inbox*'
// Results are copied to benchmarks/results/ and committed with the change that produced them.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
