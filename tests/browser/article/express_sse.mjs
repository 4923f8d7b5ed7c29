// The design article's backend example (docs: ../shared/design-article.txt, "后端代码(Node.js
// 示例)"), run as it stands under Express, as a backend of imchat's "plain SSE" endpoint. The
// route's body is the article's; around it only what a test needs: the imchat bundle served from
// the same origin (the example sends no CORS headers) and a free port, printed as
// `listening on http://127.0.0.1:PORT`.
//
//   node tests/browser/article/express_sse.mjs BUNDLE_DIR
import express from 'express';

const app = express();

app.get('/chat/stream', (req, res) => {
  res.setHeader('Content-Type', 'text/event-stream');
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('Connection', 'keep-alive');

  let count = 0;
  const interval = setInterval(() => {
    res.write(`data: 你好,消息 ${count++}\n\n`);
    if (count > 5) {
      clearInterval(interval);
      res.end();
    }
  }, 1000);
});

app.use(express.static(process.argv[2]));
const server = app.listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
process.stdin.on('end', () => process.exit(0));  // dies with the test that started it
process.stdin.resume();
