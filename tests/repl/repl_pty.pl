#!/usr/bin/perl
# The REPL driven through a pseudo-terminal, as a person would use it: evaluation, multi-line
# chunks, history saved, Tab completion, Ctrl-C cancelling a waiting chunk, Ctrl-D exiting.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use ReplPty;
use File::Temp qw(tempdir);
use Time::HiRes qw(time sleep);

my $hedge = $ENV{HEDGE_BIN} // './hedge';
my $dir = tempdir(CLEANUP => 1);
my $history = "$dir/history";
my $pid = spawn_on_pty({ HEDGE_HISTORY => $history, HEDGE_PLAIN_REPL => '1' }, 40, 120, $hedge);

ok(expect_output(qr/hedge> /, 10), 'prompt shown');

my $mark = screen_length();
type_text("1+1\r");
ok(expect_output(qr/\r\n2\r\n.*hedge> /s, 5, $mark), '1+1 prints 2 and a new prompt');

$mark = screen_length();
type_text("=3*7\r");
ok(expect_output(qr/\r\n21\r\n/, 5, $mark), '=expr prints its value');

$mark = screen_length();
type_text("function f()\r");
ok(expect_output(qr/\.\.\.> /, 5, $mark), 'an incomplete chunk continues on the next line');
$mark = screen_length();
type_text("return {b = 2, a = 'x'} end\r");
ok(expect_output(qr/hedge> /, 5, $mark), 'the chunk completes');
$mark = screen_length();
type_text("f()\r");
ok(expect_output(qr/\{\r\n  a = "x",\r\n  b = 2,\r\n\}/, 5, $mark), 'tables are pretty-printed with sorted keys');

$mark = screen_length();
type_text("error('bad thing')\r");
ok(expect_output(qr/stdin:1: bad thing.*hedge> /s, 5, $mark), 'an error is shown with its position and the prompt returns');

$mark = screen_length();
type_text("hedge.sl\t");
type_text(" == hedge.sleep\r");    # evaluates true only if Tab completed "sl" to "sleep"
ok(expect_output(qr/\r\ntrue\r\n/, 5, $mark), 'Tab completes a table field');

$mark = screen_length();
my $t0 = time;
type_text("hedge.sleep(10)\r");
sleep 0.3;
type_text("\x03");
ok(expect_output(qr/cancelled.*hedge> /s, 3, $mark), 'Ctrl-C cancels a waiting chunk and the prompt returns');
ok(time - $t0 < 3, 'at once, not after the 10 s sleep');

$mark = screen_length();
type_text("x = 4");
type_text("\x03");
ok(expect_output(qr/hedge> /, 3, $mark), 'Ctrl-C at the prompt gives a fresh prompt');
$mark = screen_length();
type_text("print(x)\r");
ok(expect_output(qr/\r\nnil\r\n/, 5, $mark), 'the interrupted line was not run');

$mark = screen_length();
type_text("hedge.spawn(function() while true do hedge.sleep(0.05) end end) and 'bg'\r");
ok(expect_output(qr/"bg".*hedge> /s, 5, $mark), 'a background task runs beside the prompt');
$mark = screen_length();
type_text("=2+2\r");
ok(expect_output(qr/\r\n4\r\n/, 5, $mark), 'the prompt answers while a background task runs');

type_text("\x04");
my $waited = 0;
my $status;
while ($waited < 50) {
    my $r = waitpid($pid, 1);   # WNOHANG
    if ($r == $pid) { $status = $? >> 8; last; }
    sleep 0.1;
    $waited++;
}
ok(defined $status && $status == 0, 'Ctrl-D exits with status 0');
kill 'KILL', $pid unless defined $status;

open(my $fh, '<', $history);
my $saved = $fh ? do { local $/; <$fh> } : '';
# libedit writes spaces in its history file as \040.
ok(scalar($saved =~ /^1\+1$/m) && scalar($saved =~ /^function(?: |\\040)f\(\)$/m), 'history is saved to the file');

exit(tap_done());
