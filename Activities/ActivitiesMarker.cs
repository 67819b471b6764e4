namespace Supervisor.Activities;

internal static class ActivitiesMarker;
