using System.Reflection;
using System.Runtime.ExceptionServices;
using Messaging.Storage;
using Messaging.Storage.InMemory;

namespace Messaging.Tests.Support;

/// <summary>
/// The real in-memory store with one seam: a test can run something (typically a competing operation) just before the
/// next unit of work commits, to reproduce a race deterministically. Everything else goes straight to the store.
/// </summary>
public class InterceptingStore : DispatchProxy
{
    private IMessagingStore _inner = null!;
    private Func<Task>? _beforeNextCommit;

    public static IMessagingStore Create()
    {
        var store = Create<IMessagingStore, InterceptingStore>();
        ((InterceptingStore)(object)store)._inner = new InMemoryMessagingStore();
        return store;
    }

    /// <summary>Runs <paramref name="action"/> once, right before the next commit (of any operation) is applied.</summary>
    public static void BeforeNextCommit(IMessagingStore store, Func<Task> action)
        => ((InterceptingStore)(object)store)._beforeNextCommit = action;

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        var result = Call(targetMethod, _inner, args);
        return targetMethod.Name == nameof(IMessagingStore.BeginAsync)
            ? WrapAsync((ValueTask<IMessagingUnitOfWork>)result!)
            : result;
    }

    private async ValueTask<IMessagingUnitOfWork> WrapAsync(ValueTask<IMessagingUnitOfWork> begin)
    {
        var work = Create<IMessagingUnitOfWork, InterceptedUnitOfWork>();
        var proxy = (InterceptedUnitOfWork)(object)work;
        proxy.Inner = await begin;
        proxy.Owner = this;
        return work;
    }

    internal Func<Task>? TakeHook() => Interlocked.Exchange(ref _beforeNextCommit, null);

    internal static object? Call(MethodInfo method, object target, object?[]? args)
    {
        try
        {
            return method.Invoke(target, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}

public class InterceptedUnitOfWork : DispatchProxy
{
    internal IMessagingUnitOfWork Inner { get; set; } = null!;

    internal InterceptingStore Owner { get; set; } = null!;

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        return targetMethod.Name == nameof(IMessagingUnitOfWork.CommitAsync)
            ? CommitAsync((CancellationToken)args![0]!)
            : InterceptingStore.Call(targetMethod, Inner, args);
    }

    private async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        if (Owner.TakeHook() is { } hook)
        {
            await hook();
        }

        await Inner.CommitAsync(cancellationToken);
    }
}
