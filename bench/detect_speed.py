"""Detection speed: ms per 1,000 characters, p50/p95, with a per-recognizer breakdown.

    .venv/bin/python bench/detect_speed.py [--rounds N]

Three ways over the same texts (each about 1,000 characters, normalized first):
- presidio-default: Presidio's own recognizers for the same entities (its phone
  recognizer included) in an AnalyzerEngine with a blank spaCy pipeline: the
  starting point;
- detector-analyzer: our recognizers through the AnalyzerEngine
  (Detector.detect_with_analyzer);
- detector: Detector.detect, recognizers called directly behind prefilters.
Figures are the time of one call divided by the text length, times 1,000.
Numbers on a shared 2-core machine move between runs: compare within one run.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    IbanRecognizer,
    IpRecognizer,
    PhoneRecognizer,
    UsSsnRecognizer,
)

from engine.detect import BlankEnglishNlpEngine, Detector
from engine.digit_views import digit_views
from engine.normalize import normalize
from engine.recognizers import OfflineEmailRecognizer, offline_suffix_extractor

BUSINESS = (
    "Hi team, following up on yesterday's call with the Northwind procurement group. "
    "Could you summarise the attached contract terms for the renewal, list the pricing "
    "changes against last year, and flag any clause that moves liability to us? Maria "
    "Gonzalez from their side asked for a reply by Friday; her email is "
    "maria.gonzalez@northwind-example.com and her direct line is +1 415 555 0132. The "
    "invoice should go to IBAN DE89 3704 0044 0532 0130 00 and the old card on file "
    "(4111 1111 1111 1111) must be removed from the portal. Our VPN gateway 10.20.30.40 "
    "logged two failed logins from 2001:db8::7 last night, probably unrelated. Please "
    "keep the tone friendly but firm, mention the service-level credits we earned in "
    "Q3, and suggest a thirty-minute review on Tuesday. Thanks a lot, and let me know "
    "if anything in the draft is unclear before you send it out.\nBest regards,\nTom"
)
PROSE = (
    "The quarterly review covers revenue growth across the three regions, the hiring "
    "plan for the platform group, and the migration of the billing system to the new "
    "data warehouse. Margins improved slightly thanks to lower hosting costs, while "
    "support volume stayed flat. The board asked for a clearer view of churn drivers "
    "and for a plan to retire the legacy reporting stack before the end of the year. "
    "Engineering expects the first phase of the migration to finish in six weeks, "
    "assuming the vendor delivers the connectors on time. Marketing will run two "
    "campaigns in the spring and measure conversion against the autumn baseline. "
    "Finance recommends keeping the current pricing until the new packaging is "
    "validated with a small group of customers. Risks include the tight timeline, "
    "the dependency on one vendor, and the limited capacity of the data team, which "
    "is already stretched across four projects this quarter."
)
DENSE = (
    "ssn 536-22-8841, card 5500 0000 0000 0004, phone (212) 555-0198, mail a.b@c-example.org, "
    "ip 192.168.10.254, api_key='Zx8q2LmN4pR7sT1vW3yB6cD9fG0hJ5kQ', token ghp_aBcDeFgHiJkLmNoP"
    "qRsTuVwXyZ0123456789, Mr. Okafor, IBAN GB82 WEST 1234 5698 7654 32, 020 7946 0958, "
    "password: hunter2!x, AKIAIOSFODNN7EXAMPLE, order 2024-01-15, ref 12345678, Dear Priya, "
)
TEXTS = {"business": BUSINESS[:1000], "prose": PROSE[:1000], "dense": (DENSE * 4)[:1000]}

# 2,000-character prompts for normalize(): the ASCII fast path and the others.
_ASCII = (PROSE * 3)[:2000]
NORMALIZE_TEXTS = {
    "ascii": _ASCII,
    "curly quotes, dashes, accents": _ASCII[:1000]
    + "\u201csmart\u201d \u2013 caf\u00e9 "
    + _ASCII[:979],
    "russian prose": (
        "\u041f\u0440\u0438\u0432\u0435\u0442, \u043a\u0430\u043a \u0434\u0435\u043b\u0430? " * 120
    )[:2000],
    "japanese, fullwidth punctuation": (
        "\u6771\u4eac\u306e\u4f1a\u8b70\u306f\uff11\uff10\u6642\u304b\u3089\u3067\u3059\u3002"
        "\u3088\u308d\u3057\u304f\uff01\u3000" * 120
    )[:2000],
    "zero-width every word": _ASCII.replace(" ", " \u200b")[:2000],
    "cyrillic homoglyphs": _ASCII.replace("o", "\u043e")[:2000],
    "all fullwidth (attack)": ("\uff46\uff55\uff4c\uff4c\u3000" * 400)[:2000],
}


def presidio_default() -> AnalyzerEngine:
    registry = RecognizerRegistry(supported_languages=["en"])
    for recognizer in (
        OfflineEmailRecognizer(offline_suffix_extractor()),
        PhoneRecognizer(),
        CreditCardRecognizer(),
        IbanRecognizer(),
        UsSsnRecognizer(),
        IpRecognizer(),
    ):
        registry.add_recognizer(recognizer)
    return AnalyzerEngine(registry=registry, nlp_engine=BlankEnglishNlpEngine())


def measure(call: Callable[[], object], length: int, rounds: int) -> tuple[float, float]:
    call()
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000 / length * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=200)
    rounds = parser.parse_args().rounds

    detector = Detector.with_builtins()
    baseline = presidio_default()
    print(f"ms per 1,000 characters (p50 / p95 over {rounds} calls)\n")
    print(
        f"{'text':10} {'normalize':>16} {'presidio-default':>18} {'detector-analyzer':>18}"
        f" {'detector':>16}"
    )
    for name, raw in TEXTS.items():
        text = normalize(raw).text
        n = len(text)
        cells = [
            measure(lambda raw=raw: normalize(raw), n, rounds),
            measure(lambda t=text: baseline.analyze(t, language="en"), n, rounds // 4 or 1),
            measure(lambda t=text: detector.detect_with_analyzer(t), n, rounds // 2 or 1),
            measure(lambda t=text: detector.detect(t), n, rounds),
        ]
        print(f"{name:10} " + " ".join(f"{p50:7.3f} / {p95:6.3f}" for p50, p95 in cells))

    print("\nnormalize(), 2,000-character prompts (p50 ns per character)\n")
    for name, raw in NORMALIZE_TEXTS.items():
        p50, p95 = measure(lambda raw=raw: normalize(raw), len(raw), rounds)
        print(f"{name:34} {p50 * 1000:8.1f} ns/char  (p95 {p95 * 1000:.1f})")

    print("\nper recognizer, Detector.detect (p50 / p95 ms per 1,000 characters)\n")
    print(f"{'stage':22}" + "".join(f"{name:>18}" for name in TEXTS))
    for stage in detector.stages:
        row = []
        for raw in TEXTS.values():
            text = normalize(raw).text
            p50, p95 = measure(lambda t=text, s=stage: s.run(t), len(text), rounds)
            row.append(f"{p50:7.3f} / {p95:6.3f}")
        print(f"{stage.name:22}" + "".join(f"{cell:>18}" for cell in row))
    row = []
    for raw in TEXTS.values():  # the readings of split numbers the stages above also scan
        text = normalize(raw).text
        p50, p95 = measure(lambda t=text: digit_views(t), len(text), rounds)
        row.append(f"{p50:7.3f} / {p95:6.3f}")
    print(f"{'(digit views)':22}" + "".join(f"{cell:>18}" for cell in row))

    print("\nper recognizer, Presidio defaults (p50 ms per 1,000 characters)\n")
    for recognizer in baseline.registry.recognizers:
        row = []
        for raw in TEXTS.values():
            text = normalize(raw).text
            p50, _ = measure(lambda t=text, r=recognizer: r.analyze(t, [], None), len(text), 40)
            row.append(f"{p50:7.3f}")
        print(f"{recognizer.name:22}" + "".join(f"{cell:>18}" for cell in row))

    text = normalize(BUSINESS).text
    words = len(text.split())
    p50, p95 = measure(lambda: detector.detect(normalize(BUSINESS).text), 1000, rounds)
    print(
        f"\nnormalize + detect, the {words}-word business prompt: {p50:.3f} ms p50,"
        f" {p95:.3f} ms p95 per call"
    )


if __name__ == "__main__":
    main()
