#!/usr/bin/perl
# Manual hedging in the REPL, through a pseudo-terminal as an operator would do it, against the
# venue simulator (three venues): funding_all() prints the table, open("ETH", {size_quote = 100})
# opens a hedge after a typed confirmation, status() shows it, the bot started afterwards adopts
# it, close("ETH") refuses while the bot holds it, and closes it once the bot is stopped.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use ReplPty;
use IPC::Open2;
use File::Temp qw(tempdir);
use Time::HiRes qw(time sleep);
use JSON::PP;
use HTTP::Tiny;

my $hedge = $ENV{HEDGE_BIN} // './hedge';
my $dir = tempdir(CLEANUP => 1);

# ---- the simulator (its stdin is our pipe: it exits when we do) -----------------------------
my ($sim_out, $sim_in);
my $sim_pid = open2($sim_out, $sim_in, 'node', 'tests/sim/sim.mjs', '--scenario', 'tests/sim/scenarios/bot_default.json',
    '--clock', 'stepped');
my $addr_line = <$sim_out>;
my $addr = decode_json($addr_line);
my $http = HTTP::Tiny->new(timeout => 10);

sub sim_positions {
    my ($venue, $account) = @_;
    my $res = $http->get("$addr->{control}/state?venue=$venue");
    return undef unless $res->{success};
    my $state = decode_json($res->{content});
    for my $a (@{ $state->{venues}{$venue}{accounts} }) {
        next unless $a->{id} eq $account;
        my %pos;
        for my $p (@{ $a->{positions} }) { $pos{$p->{symbol}} = "$p->{side} $p->{size}" if $p->{size} ne '0'; }
        return \%pos;
    }
    return undef;
}

my $config = {
    venues => {
        pacifica => { environment => 'sim', rest_url => $addr->{pacifica}{rest}, ws_url => $addr->{pacifica}{ws} },
        lighter  => { environment => 'sim', rest_url => $addr->{lighter}{rest}, ws_url => $addr->{lighter}{ws} },
        edgex    => { environment => 'sim', rest_url => $addr->{edgex}{host}, ws_url => $addr->{edgex}{ws}, api_version => 'v2' },
    },
    symbols_to_monitor => '*', leverage => 3, notional_per_position => '500', hold_duration_hours => 8,
    check_interval_seconds => 1, min_volume_usd => 50000000, fill_wait_seconds => 4, reconcile_seconds => 2,
    state_db => "$dir/state/hedge.db", log_file => "$dir/logs/hedge.log",
};
open(my $cf, '>', "$dir/bot_config.json") or die; print $cf encode_json($config); close $cf;
open(my $src, '<', '.env.example') or die "no .env.example"; local $/; my $env = <$src>; close $src;
open(my $ef, '>', "$dir/.env") or die; print $ef $env; close $ef;
my @files = ('--config', "$dir/bot_config.json", '--env', "$dir/.env");

# ---- the REPL in a pseudo-terminal ------------------------------------------------------------
my $pid = spawn_on_pty({ HEDGE_HISTORY => "$dir/history" }, 50, 200, $hedge, '-i', 'scripts/hedge.lua', @files);

ok(expect_output(qr/open\("ETH", \{size_quote = 100\}\).*venues: edgex, lighter, pacifica.*hedge> /s, 20),
   'hedge -i scripts/hedge.lua loads the manual commands for the configured venues');

my $mark = screen_length();
type_text("funding_all()\r");
ok(expect_output(qr/best long \/ short.*\r\nETH .*lighter \/ pacifica.*hedge> /s, 20, $mark), 'funding_all() prints the funding table');
ok(substr(screen_text(), $mark) =~ /edgex APR\s+lighter APR\s+pacifica APR/, '... with an APR column per venue');

$mark = screen_length();
type_text("open(\"ETH\", {size_quote = 100})\r");
ok(expect_output(qr/open a hedge on ETH.*Send both orders\? \[y\/N\] /s, 20, $mark), 'open() shows the plan and asks for confirmation');
ok(substr(screen_text(), $mark) =~ /size 0\.0285 ETH on each leg/, '... $100 at the mid is 0.0285 ETH on both venues\' step');
my $positions = sim_positions('lighter', '281');
ok($positions && !%$positions, 'nothing is sent before the answer');
$mark = screen_length();
type_text("y\r");
ok(expect_output(qr/opened ETH in \d+ ms: long 0\.0285 on lighter.*short 0\.0285 on pacifica.*the bot adopts it.*hedge> /s, 30, $mark),
   'after "y" the hedge is opened and journalled for the bot');
$positions = sim_positions('lighter', '281');
my $pac = sim_positions('pacifica', 'Dcz2WMjnTGPJKhc4WWWPDas8M1xf69HN13tTPoHA9XEJ');
ok($positions && ($positions->{ETH} // '') eq 'long 0.0285' && ($pac->{ETH} // '') eq 'short 0.0285',
   'the simulator holds long 0.0285 ETH on lighter and short 0.0285 on pacifica');

$mark = screen_length();
type_text("status()\r");
ok(expect_output(qr/journal's hedge: ETH long on lighter, short on pacifica \(opened by hand.*hedge ETH: long 0\.0285 on lighter, short 0\.0285 on pacifica .* hedged.*hedge> /s, 20, $mark),
   'status() shows the journal\'s manual hedge and the hedged pair');

# ---- the bot, started afterwards, adopts it ----------------------------------------------------
my $bot = fork();
die "fork: $!" unless defined $bot;
if ($bot == 0) {
    open(STDIN, '<', '/dev/null');
    open(STDOUT, '>', "$dir/bot.out");
    open(STDERR, '>&', \*STDOUT);
    exec($hedge, 'scripts/strategy.lua', @files, '--plain') or die;
}
my $log = '';
my $deadline = time + 30;
while (time < $deadline) {
    if (open(my $lf, '<', "$dir/logs/hedge.log")) { local $/; $log = <$lf>; close $lf; }
    last if $log =~ /adopted the stored hedge/;
    sleep 0.1;
}
ok($log =~ /start-up: adopted the stored hedge: ETH long 0\.0285 on lighter, short on pacifica/, 'the bot started afterwards adopts the manual hedge');
$deadline = time + 10;
while (time < $deadline && $log !~ /HOLDING/) {
    if (open(my $lf, '<', "$dir/logs/hedge.log")) { local $/; $log = <$lf>; close $lf; }
    sleep 0.1;
}

$mark = screen_length();
type_text("close(\"ETH\")\r");
ok(expect_output(qr/error: the bot is running \(pid \d+.*holds a hedge on ETH.*refuses.*hedge> /s, 20, $mark),
   'close() refuses while the running bot holds ETH (the ownership lock)');
$positions = sim_positions('lighter', '281');
ok(($positions->{ETH} // '') eq 'long 0.0285', '... and sends nothing');

kill 'TERM', $bot;
my $bot_status;
$deadline = time + 20;
while (time < $deadline) {
    my $r = waitpid($bot, 1);
    if ($r == $bot) { $bot_status = $? >> 8; last; }
    sleep 0.1;
}
ok(defined $bot_status && $bot_status == 0, 'the bot stops on SIGTERM, leaving the hedge as it is');

$mark = screen_length();
type_text("close(\"ETH\")\r");
ok(expect_output(qr/Close 2 position\(s\) and cancel 0 order\(s\) on ETH\? \[y\/N\] /s, 20, $mark), 'with the bot stopped, close() asks');
$mark = screen_length();
type_text("y\r");
ok(expect_output(qr/lighter\s+flat, no open orders\r?\n\s+closed ETH long 0\.0285.*pacifica\s+flat, no open orders\r?\n\s+closed ETH short 0\.0285.*RESULT: everything is closed.*hedge> /s, 30, $mark),
   'close("ETH") closes both legs and reports each venue');
$positions = sim_positions('lighter', '281');
$pac = sim_positions('pacifica', 'Dcz2WMjnTGPJKhc4WWWPDas8M1xf69HN13tTPoHA9XEJ');
ok($positions && !%$positions && $pac && !%$pac, 'the simulator shows both accounts flat');

$mark = screen_length();
type_text("status()\r");
ok(expect_output(qr/bot: not running.*positions: none.*hedge> /s, 20, $mark), 'status() shows nothing open and no journal hedge');
ok(substr(screen_text(), $mark) !~ /journal's hedge/, '... the journal\'s hedge is closed');

type_text("\x04");
my $status;
$deadline = time + 10;
while (time < $deadline) {
    my $r = waitpid($pid, 1);
    if ($r == $pid) { $status = $? >> 8; last; }
    sleep 0.1;
}
ok(defined $status && $status == 0, 'Ctrl-D leaves the REPL');
kill 'KILL', $pid unless defined $status;
kill 'KILL', $bot unless defined $bot_status;
# The journal holds the whole story, in the bot's own records.
my $dump = `'$hedge' scripts/state.lua --db '$dir/state/hedge.db' 2>&1`;
my $state = eval { decode_json($dump) };
my @kinds = map { $_->{kind} } @{ $state->{events} // [] };
my $story = join(' ', grep { /^(manual_open|adopted|shutdown|manual_close_started|manual_close)$/ } @kinds);
ok($story eq 'manual_open adopted shutdown manual_close_started manual_close', "the journal's events tell the story ($story)");
my ($adopted) = grep { $_->{kind} eq 'adopted' } @{ $state->{events} // [] };
ok($adopted && $adopted->{data}{from} eq 'manual', '... the bot adopted it as a manual hedge');
my @purposes = map { "$_->{venue}:$_->{purpose}:$_->{side}" } @{ $state->{intents} // [] };
ok(join(' ', sort @purposes) eq 'lighter:close:sell lighter:open:buy pacifica:close:buy pacifica:open:sell',
   'every order was an intent in the journal before it was sent (' . join(' ', sort @purposes) . ')');
ok(($state->{state}{state} // '') eq 'IDLE' && !$state->{hedge}, 'the journal is left IDLE with no current hedge');

close $sim_in;
waitpid($sim_pid, 0);

my $exit_status = tap_done();
if ($exit_status && open(my $bf, '<', "$dir/bot.out")) { local $/; my $b = <$bf>; print "# bot:\n"; print "# $_\n" for split /\n/, $b; }
exit($exit_status);
