// Baseline for `npm run bench`: the cheapest Worker wrangler dev can serve, so the
// app's figures can be read against what the local runtime itself costs per request.
export default {
  async fetch(request) {
    // Drain the body so a POST costs what reading a webhook costs at the edge.
    if (request.body) await request.arrayBuffer();
    return new Response("ok", { status: 200, headers: { "content-type": "text/plain" } });
  },
};
