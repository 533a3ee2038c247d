"""The semantic cache's workload (bench/cache.py --semantic): questions an analyst asks,
each with paraphrases that want the same answer and near misses that do not.

Written for this benchmark (session 14), from no dataset. A group's `question` is asked
first and stored; its `paraphrases` should be served that answer (a hit is right);
its `near_misses` are the same template about another product, period, number or
system, whose right answer differs (a hit on them is a false hit).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Group:
    question: str
    paraphrases: tuple[str, ...]
    near_misses: tuple[str, ...]


GROUPS = (
    Group(
        "Summarize this quarterly report for me in three bullet points.",
        (
            "Summarise this quarterly report for me in three bullet points.",
            "Can you summarize this quarterly report in three bullet points for me?",
            "Give me a three bullet point summary of this quarterly report.",
            "Please sum up this quarterly report in three bullets.",
        ),
        (
            "Summarize this annual report for me in three bullet points.",
            "Summarize this quarterly report for me in ten bullet points.",
        ),
    ),
    Group(
        "Translate the following paragraph into German.",
        (
            "Please translate the following paragraph into German.",
            "Translate this paragraph to German.",
            "Can you put the following paragraph into German?",
        ),
        (
            "Translate the following paragraph into French.",
            "Translate the following paragraph into Japanese.",
        ),
    ),
    Group(
        "Write a SQL query that counts orders per customer in 2025.",
        (
            "Write an SQL query counting the orders of each customer in 2025.",
            "Give me a SQL query that counts the number of orders per customer for 2025.",
            "SQL query: number of orders per customer in 2025, please.",
        ),
        (
            "Write a SQL query that counts orders per customer in 2023.",
            "Write a SQL query that sums revenue per customer in 2025.",
        ),
    ),
    Group(
        "How many vacation days do new employees get in their first year?",
        (
            "How many days of vacation does a new employee get in the first year?",
            "What is the vacation allowance for new hires in their first year?",
            "How much paid leave do new employees receive during their first year?",
        ),
        (
            "How many sick days do new employees get in their first year?",
            "How many vacation days do employees get after five years?",
        ),
    ),
    Group(
        "What was the operating margin of the retail division last quarter?",
        (
            "What operating margin did the retail division have last quarter?",
            "Last quarter, what was the retail division's operating margin?",
            "Tell me the retail division's operating margin for last quarter.",
        ),
        (
            "What was the operating margin of the wholesale division last quarter?",
            "What was the operating margin of the retail division last year?",
        ),
    ),
    Group(
        "Explain what this Python function does.",
        (
            "Can you explain what this Python function does?",
            "What does this Python function do?",
            "Explain to me what this function in Python does.",
        ),
        (
            "Explain what this Java function does.",
            "Explain what this Python class does.",
        ),
    ),
    Group(
        "Draft a short product announcement for the new Premium savings account.",
        (
            "Write a short product announcement for the new Premium savings account.",
            "Draft a brief announcement of our new Premium savings account.",
            "Please draft a short announcement for the new Premium savings account product.",
        ),
        (
            "Draft a short product announcement for the new Basic checking account.",
            "Draft a short product announcement for the new Premium credit card.",
        ),
    ),
    Group(
        "What is the interest rate on the Gold mortgage with a 10-year fixed term?",
        (
            "What interest rate does the Gold mortgage have for a 10-year fixed term?",
            "Which interest rate applies to the Gold mortgage, fixed for 10 years?",
            "Tell me the Gold mortgage interest rate on a ten-year fixed term.",
        ),
        (
            "What is the interest rate on the Gold mortgage with a 20-year fixed term?",
            "What is the interest rate on the Silver mortgage with a 10-year fixed term?",
        ),
    ),
    Group(
        "List the key risks mentioned in this credit report.",
        (
            "What are the key risks mentioned in this credit report?",
            "List the main risks this credit report mentions.",
            "Which key risks does this credit report mention? List them.",
        ),
        (
            "List the key strengths mentioned in this credit report.",
            "List the key risks mentioned in this audit report.",
        ),
    ),
    Group(
        "How do I reset my VPN password?",
        (
            "How can I reset my VPN password?",
            "What are the steps to reset my VPN password?",
            "I need to reset my VPN password, how do I do it?",
        ),
        (
            "How do I reset my email password?",
            "How do I change my VPN username?",
        ),
    ),
)


def paraphrase_count() -> int:
    return sum(len(g.paraphrases) for g in GROUPS)


def near_miss_count() -> int:
    return sum(len(g.near_misses) for g in GROUPS)
