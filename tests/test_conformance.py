"""jupyter_kernel_test's conformance suite against the installed Juggler kernel.

Every sample attribute that jupyter_kernel_test 0.4.5 reads is filled in, so
no test of the suite skips.
"""

import unittest

import jupyter_kernel_test

import kernelenv


def setUpModule():
    kernelenv.setup()


class JugglerKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = kernelenv.KERNEL_NAME

    language_name = "go"
    file_extension = ".go"

    code_hello_world = 'fmt.Println("hello, world")'
    code_stderr = 'fmt.Fprintln(os.Stderr, "oops")'

    # The suite sends the text with the cursor at its end and compares the
    # reply's matches as a set, exactly. Matches replace the member after
    # the dot (cursor_start is just after "strings."), so they are bare
    # member names, and every member with the prefix is listed.
    completion_samples = [
        {"text": "strings.ToUpp", "matches": {"ToUpper", "ToUpperSpecial"}},
        {"text": "fmt.Sprin", "matches": {"Sprint", "Sprintf", "Sprintln"}},
    ]

    complete_code_samples = ["fmt.Println(1)", "x := 1"]
    incomplete_code_samples = ["func f() {", "x := []int{"]
    invalid_code_samples = ["x := )"]

    code_page_something = "%help"

    code_generate_error = 'panic("boom")'

    # text/plain of a value is its Go syntax, so strings come back quoted.
    code_execute_result = [
        {"code": "6*7", "result": "42"},
        {"code": '"go" + "pher"', "result": '"gopher"'},
    ]

    code_display_data = [
        {"code": 'display.HTML("<b>hi</b>")', "mime": "text/html"},
        {"code": 'display.Markdown("*hi*")', "mime": "text/markdown"},
    ]

    # A glob, as in IPython's history search; must match one of the
    # code_execute_result samples ("6*7") and nothing else the suite runs.
    code_history_pattern = "6*?"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "strings.ToUpper"

    code_clear_output = "display.Clear()"


class SamplesComplete(unittest.TestCase):
    """Each sample the installed suite knows is set, so none of its tests skip."""

    def test_every_sample_is_set(self):
        base = jupyter_kernel_test.KernelTests
        samples = [name for name, value in vars(base).items()
                   if not name.startswith("_")
                   and isinstance(value, (str, list, tuple))
                   and name != "kernel_name"]
        self.assertTrue(samples)
        missing = [n for n in samples if not getattr(JugglerKernelTests, n)]
        self.assertEqual(missing, [], "samples left empty: tests would skip")


if __name__ == "__main__":
    unittest.main()
