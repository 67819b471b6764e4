namespace Supervisor.Tests.Fixtures;

/// <summary>Waits for a condition by polling, with a deadline, instead of sleeping a fixed time.</summary>
public static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, string? what = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        var value = await read();
        while (!done(value))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what ?? "The condition"} did not hold within {timeout.TotalSeconds} s; last value: {value}");
            }

            await Task.Delay(50);
            value = await read();
        }

        return value;
    }

    public static Task TrueAsync(Func<bool> condition, TimeSpan timeout, string? what = null) =>
        GetAsync(() => Task.FromResult(condition()), v => v, timeout, what);
}
