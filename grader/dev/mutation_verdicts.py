"""The verdicts on the mutants that survive ``python -m grader.dev mutate``, keyed by exercise and
by the mutant's change (``old lines => new lines``, as ``grader.dev.mutate`` prints it).

``equivalent``: the mutant is a correct program (each has a correct variant in tests/correct/ that
the suite grades under every start method). ``gap``: the grader lets a wrong program through; the
note says what would catch it. A survivor with no verdict makes the run exit 1.
"""

from __future__ import annotations

VERDICTS: dict[str, dict[str, str]] = {
    'ex08_copy_file': {
        'CHUNK_SIZE = 1024 * 64 => CHUNK_SIZE = 1024 + 64':
            'equivalent: any positive chunk size copies the same bytes (variant ex08_copy_file/small_odd_chunks)',
        'CHUNK_SIZE = 1024 * 64 => CHUNK_SIZE = 1024 - 64':
            'equivalent: any positive chunk size copies the same bytes (variant ex08_copy_file/small_odd_chunks)',
        'CHUNK_SIZE = 1024 * 64 => CHUNK_SIZE = 1024 // 64':
            'equivalent: any positive chunk size copies the same bytes (variant ex08_copy_file/small_odd_chunks)',
        'CHUNK_SIZE = 1024 * 64 => CHUNK_SIZE = 1024 | 64':
            'equivalent: any positive chunk size copies the same bytes (variant ex08_copy_file/small_odd_chunks)',
        'CHUNK_SIZE = 1024 * 64 => CHUNK_SIZE = 1024 ^ 64':
            'equivalent: any positive chunk size copies the same bytes (variant ex08_copy_file/small_odd_chunks)',
        'CHUNK_SIZE = 1024 * 64 => CHUNK_SIZE = 1025 * 64':
            'equivalent: any positive chunk size copies the same bytes (variant ex08_copy_file/small_odd_chunks)',
        'CHUNK_SIZE = 1024 * 64 => CHUNK_SIZE = 1023 * 64':
            'equivalent: any positive chunk size copies the same bytes (variant ex08_copy_file/small_odd_chunks)',
        'CHUNK_SIZE = 1024 * 64 => CHUNK_SIZE = 1024 * 65':
            'equivalent: any positive chunk size copies the same bytes (variant ex08_copy_file/small_odd_chunks)',
        'CHUNK_SIZE = 1024 * 64 => CHUNK_SIZE = 1024 * 63':
            'equivalent: any positive chunk size copies the same bytes (variant ex08_copy_file/small_odd_chunks)',
        'source_path = os.path.join(source_dir, file_name) | dest_path = os.path.join(dest_dir, file_name) => dest_path = os.path.join(dest_dir, file_name) | source_path = os.path.join(source_dir, file_name)':
            'equivalent: two paths built in the other order (variant ex08_copy_file/writes_before_checking)',
        'if not data: |     break | dest_file.write(data) => dest_file.write(data) | if not data: |     break':
            'equivalent: writing b"" writes nothing (variant ex08_copy_file/writes_before_checking)',
    },
    'ex11_cpu_speedup': {
        'pool.join() => pass':
            'equivalent: leaving the with block terminates the pool after starmap has every part (variant ex11_cpu_speedup/returns_inside_with)',
        'return total =>     return total':
            'equivalent: the total returned from inside the with block (variant ex11_cpu_speedup/returns_inside_with)',
        '    pool.join() => pool.join()':
            'equivalent: join() after the with block (variant ex11_cpu_speedup/joins_after_with)',
    },
}


def verdict_of(module: str, change: str) -> str:
    """The recorded verdict on this mutant ("equivalent: ..." or "gap: ..."), or "" when there is none."""
    return VERDICTS.get(module, {}).get(change, "")
