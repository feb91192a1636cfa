using MailKit.Net.Smtp;
using NodaTime;

namespace Messaging.Providers.Smtp.Tests;

public sealed class SmtpConnectionPoolTests
{
    private static SmtpConnection NewConnection() => new(new SmtpClient(), Instant.FromUnixTimeSeconds(0));

    [Fact]
    public async Task No_more_than_max_connections_are_rented_at_once()
    {
        var pool = new SmtpConnectionPool(2);
        await pool.RentAsync(CancellationToken.None);
        await pool.RentAsync(CancellationToken.None);

        var third = pool.RentAsync(CancellationToken.None).AsTask();
        await Task.Delay(50);
        third.IsCompleted.Should().BeFalse("both slots are taken");

        pool.Return(NewConnection());
        (await third.WaitAsync(TimeSpan.FromSeconds(30))).Should().NotBeNull("the returned connection is handed to the waiting send");
    }

    [Fact]
    public async Task Waiting_for_a_busy_pool_gives_up_when_the_token_is_cancelled()
    {
        var pool = new SmtpConnectionPool(1);
        await pool.RentAsync(CancellationToken.None);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        var wait = () => pool.RentAsync(cts.Token).AsTask();

        await wait.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task The_most_recently_returned_connection_is_reused_first_so_the_others_can_age_out()
    {
        var pool = new SmtpConnectionPool(2);
        var older = NewConnection();
        var newer = NewConnection();
        await pool.RentAsync(CancellationToken.None);
        await pool.RentAsync(CancellationToken.None);
        pool.Return(older);
        pool.Return(newer);

        (await pool.RentAsync(CancellationToken.None)).Should().BeSameAs(newer);
        pool.IdleCount.Should().Be(1);
    }

    [Fact]
    public async Task A_fresh_slot_without_an_idle_connection_asks_the_caller_to_open_one()
        => (await new SmtpConnectionPool(1).RentAsync(CancellationToken.None)).Should().BeNull();

    [Fact]
    public async Task After_close_idle_connections_are_handed_over_returns_are_refused_and_renting_fails()
    {
        var pool = new SmtpConnectionPool(2);
        var idle = NewConnection();
        await pool.RentAsync(CancellationToken.None);
        await pool.RentAsync(CancellationToken.None);
        pool.Return(idle);

        pool.Close().Should().ContainSingle().Which.Should().BeSameAs(idle);
        pool.Return(NewConnection()).Should().BeFalse("the caller must close a connection returned after close");
        var rent = () => pool.RentAsync(CancellationToken.None).AsTask();
        await rent.Should().ThrowAsync<ObjectDisposedException>();
    }
}
