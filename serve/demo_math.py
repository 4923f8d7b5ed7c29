"""The demo model's /math reply: maths as reasoning models write it, so a new user sees what the
transcript makes of it and the browser tests have a fixed input. Every delimiter, money and code
with dollar signs (which stay text), an AMS environment, a chemical formula and a Mermaid fence."""

MATH_REPLY = r"""Here is some maths, written the ways models write it.

Inline with dollars: Euler's identity $e^{i\pi} + 1 = 0$, and with parentheses: \(a^2 + b^2 = c^2\).

Display with double dollars:

$$
\int_0^1 x^2 \, dx = \frac{1}{3}
$$

Display with brackets:

\[
\sum_{n=1}^{\infty} \frac{1}{n^2} = \frac{\pi^2}{6}
\]

An environment, bare:

\begin{align}
f(x) &= (x + 1)^2 \\
     &= x^2 + 2x + 1
\end{align}

Money stays text: the book costs $5 and the course $10, or $ 3 with a coupon; \$20 is a price too.

Code keeps its dollars: `echo $HOME` and

```sh
price=$((5 + 10)); echo "$price dollars"
```

Chemistry: water is \ce{H2O}, and \ce{2H2 + O2 -> 2H2O}.

| quantity | formula |
|---|---|
| absolute value | $|x|$ |
| mean | $\bar{x} = \frac{1}{n}\sum x_i$ |

```mermaid
graph LR
  A[Question] --> B[Formula]
  B --> C[Answer]
```
"""
