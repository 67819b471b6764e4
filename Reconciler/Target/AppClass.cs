namespace Supervisor.Reconciler.Target;

/// <summary>The kind of app, as the target's <c>class</c> names it; balena defaults it to <see cref="Fleet"/>.</summary>
public enum AppClass
{
    Fleet,
    App,
    Block,
}
