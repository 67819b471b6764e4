// The supervisor runs on Linux devices only (unix sockets, file modes, lock files).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
