# Driving hedge through a pseudo-terminal as a person would, for the REPL tests: TAP counting,
# a child on a pty, waiting for output with a deadline, typing.
package ReplPty;
use strict;
use warnings;
use IO::Pty;
use Time::HiRes qw(time);
use Exporter 'import';
our @EXPORT = qw(ok tap_done spawn_on_pty expect_output type_text screen_text screen_length);

my $tests = 0;
my $failed = 0;
my $pty;
my $screen = '';

sub ok {
    my ($cond, $name) = @_;
    $tests++;
    $failed++ unless $cond;
    print(($cond ? "ok" : "not ok") . " $tests - $name\n");
    return $cond;
}

# Prints the screen (escape sequences made visible) when something failed, then the plan.
sub tap_done {
    if ($failed) {
        my $s = $screen;
        $s =~ s/\e/<ESC>/g;
        $s =~ s/\r//g;
        print "# screen:\n";
        print "# $_\n" for split /\n/, $s;
    }
    print "1..$tests\n";
    return $failed ? 1 : 0;
}

# spawn_on_pty(\%env, rows, cols, command, args...) -> pid of the child on a new pty.
sub spawn_on_pty {
    my ($env, $rows, $cols, @command) = @_;
    $pty = IO::Pty->new;
    eval { $pty->slave->set_winsize($rows, $cols, 0, 0) };
    my $pid = fork();
    die "fork: $!" unless defined $pid;
    if ($pid == 0) {
        $pty->make_slave_controlling_terminal;
        my $slave = $pty->slave;
        close $pty;
        open(STDIN, '<&', $slave) or die;
        open(STDOUT, '>&', $slave) or die;
        open(STDERR, '>&', $slave) or die;
        $ENV{TERM} = 'xterm';
        $ENV{$_} = $env->{$_} for keys %$env;
        exec(@command) or die "exec $command[0]: $!";
    }
    $pty->close_slave;
    return $pid;
}

# Reads until $pattern shows up in the output after offset $from, or $timeout seconds pass.
sub expect_output {
    my ($pattern, $timeout, $from) = @_;
    $from //= 0;
    my $deadline = time + $timeout;
    while (time < $deadline) {
        return 1 if substr($screen, $from) =~ $pattern;
        my $rin = '';
        vec($rin, fileno($pty), 1) = 1;
        my $left = $deadline - time;
        $left = 0 if $left < 0;
        if (select(my $rout = $rin, undef, undef, $left) > 0) {
            my $n = sysread($pty, my $buf, 65536);
            last unless $n;
            $screen .= $buf;
        }
    }
    return substr($screen, $from) =~ $pattern ? 1 : 0;
}

sub type_text { syswrite($pty, $_[0]); }
sub screen_text { return $screen; }
sub screen_length { return length $screen; }

1;
