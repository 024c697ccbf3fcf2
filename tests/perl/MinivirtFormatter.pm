# SPDX-License-Identifier: MIT
# tests/perl/MinivirtFormatter.pm: prove's console output, ending with minivirt's one line.
# Loaded by tests/run.sh (prove --formatter MinivirtFormatter). After prove's own summary
# (which names each file with a failed test, a wrong or missing plan, a non-zero exit or a
# signal) it prints "N passed, N failed" (", N skipped" when some were): N passed counts the
# "ok" results that are not skips; N failed counts the "not ok" results, plus one for each
# file whose problem is not a failed result (no plan, wrong plan, exit status, signal, hang).
package MinivirtFormatter;
use strict;
use warnings;
use parent 'TAP::Formatter::Console';

sub summary {
	my ($self, $agg, $interrupted) = @_;
	$self->SUPER::summary($agg, $interrupted);
	my ($passed, $failed, $skipped) = (0, 0, 0);
	for my $file ($agg->descriptions) {
		my ($p) = $agg->parsers($file);
		my $skips = () = $p->skipped;
		my $fails = () = $p->failed;
		$skipped += $skips;
		$passed += scalar(my @ok = $p->passed) - $skips;
		# a file that broke its plan or status without a failing result is one failure
		$fails = 1 if !$fails && $p->has_problems;
		$failed += $fails;
	}
	$failed++ if $interrupted;
	$self->_output("$passed passed, $failed failed" . ($skipped ? ", $skipped skipped" : "") . "\n");
}

1;
