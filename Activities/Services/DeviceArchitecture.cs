using System.Runtime.InteropServices;

namespace Supervisor.Activities.Services;

/// <summary>The device's architecture in balena's names (<c>BALENA_DEVICE_ARCH</c>, the default device type).</summary>
public static class DeviceArchitecture
{
    public static string Current { get; } = RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "aarch64",
        Architecture.Arm => "armv7hf",
        Architecture.X86 => "i386",
        var other => other.ToString().ToLowerInvariant(),
    };
}
