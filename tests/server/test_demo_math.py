"""The demo model's /math reply: the fixed input of the math browser test streams whole, and
holds every construct the test looks for."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))
from serve.demo_math import MATH_REPLY  # noqa: E402
from serve.demo_model import plan_reply  # noqa: E402


class DemoMathTest(unittest.TestCase):
    def test_streams_the_reply_in_many_tokens(self):
        special, steps = plan_reply([{"role": "user", "content": "/math"}])
        self.assertEqual(special, {})
        self.assertGreater(len(steps), 50)
        self.assertEqual("".join(t for kind, t in steps if kind == "content"), MATH_REPLY)

    def test_holds_every_construct(self):
        for needle in ["$e^{i\\pi}", "\\(a^2", "$$\n", "\\[\n", "\\begin{align}", "\\ce{H2O}",
                       "$5 and", "$10", "$ 3", "\\$20", "`echo $HOME`", "```sh", "```mermaid", "$|x|$"]:
            self.assertIn(needle, MATH_REPLY)


if __name__ == "__main__":
    unittest.main()
