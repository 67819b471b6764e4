// The benchmarks start the host, which runs on Linux devices only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
