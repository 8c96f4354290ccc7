using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace Analytics.Ingest.Bulk;

/// <summary>
/// Runs every database call of one import on a single background task, in the order they were posted, so that
/// reading, validating and hashing the next rows (one core) overlaps with writing the previous ones (the other).
/// The writer's connection and transaction are used by this task only, so the design is provider-neutral:
/// whatever <see cref="IBulkWriter"/> does, it does it from one caller at a time.
/// The queue is bounded: a reader faster than the database waits instead of buffering the file.
/// The first failing call stops the queue: later calls are skipped and the error is rethrown to the poster
/// (at its next post, <see cref="RunAsync{T}"/> or <see cref="DrainAsync"/>), so the import fails and rolls back.
/// </summary>
internal sealed class WriteQueue : IAsyncDisposable
{
    // A posted call gets the failure that stopped the queue (null while it runs normally).
    private readonly Channel<Func<Exception?, Task>> _work;
    private readonly Task _loop;
    private volatile ExceptionDispatchInfo? _failure;

    public WriteQueue(int capacity = 4)
    {
        _work = Channel.CreateBounded<Func<Exception?, Task>>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Time the posting side spent waiting for room in the queue (the database was the bottleneck).</summary>
    public TimeSpan PostWait { get; private set; }

    private async Task LoopAsync()
    {
        await foreach (var work in _work.Reader.ReadAllAsync())
        {
            var failure = _failure?.SourceException;
            try
            {
                await work(failure);
            }
            catch (Exception ex) when (failure is null)
            {
                _failure = ExceptionDispatchInfo.Capture(ex);
            }
            catch (Exception) when (failure is not null)
            {
                // Already stopped: the first error is the one reported.
            }
        }
    }

    /// <summary>Queues <paramref name="work"/>; waits while the queue is full. Throws the queue's failure, if any.</summary>
    public async ValueTask PostAsync(Func<Task> work, CancellationToken ct)
    {
        _failure?.Throw();
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        await _work.Writer.WriteAsync(failure => failure is null ? work() : Task.CompletedTask, ct);
        PostWait += System.Diagnostics.Stopwatch.GetElapsedTime(start);
    }

    /// <summary>Runs <paramref name="work"/> after everything posted before it, and returns its result.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken ct)
    {
        _failure?.Throw();
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _work.Writer.WriteAsync(async failure =>
        {
            if (failure is not null)
            {
                done.TrySetException(failure);
                return;
            }
            try
            {
                done.TrySetResult(await work());
            }
            catch (Exception ex)
            {
                done.TrySetException(ex);
                throw;
            }
        }, ct);
        try
        {
            return await done.Task;
        }
        catch (Exception) when (_failure is { } failure)
        {
            failure.Throw(); // the first error, with its own stack
            throw;
        }
    }

    public Task RunAsync(Func<Task> work, CancellationToken ct) => RunAsync(async () =>
    {
        await work();
        return true;
    }, ct);

    /// <summary>Waits until everything posted so far has run; throws the queue's failure, if any.</summary>
    public Task DrainAsync(CancellationToken ct) => RunAsync(() => Task.FromResult(true), ct);

    /// <summary>Stops the loop. Calls still queued (an import that failed on the posting side) are skipped.</summary>
    public async ValueTask DisposeAsync()
    {
        _failure ??= ExceptionDispatchInfo.Capture(new OperationCanceledException("The import stopped; queued writes were skipped."));
        _work.Writer.TryComplete();
        await _loop;
    }
}
