// The tests run against a real Linux engine, as the supervisor runs on Linux devices only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
