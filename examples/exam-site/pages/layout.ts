/** Escapes text for HTML, attributes included. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The demo site's page frame: its own header, a demo notice, and the content. */
export function layout({ title, body, wide = false }: { title: string; body: string; wide?: boolean }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Demo Exam Site</title>
<style>
  :root { color-scheme: light; --ink: #111827; --muted: #6b7280; --line: #e5e7eb; --brand: #2563eb; }
  * { box-sizing: border-box; }
  body { margin: 0; font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: var(--ink); background: #f3f4f6; }
  .site-header { display: flex; align-items: center; gap: 1rem; padding: 0.8rem 1.5rem; background: #fff; border-bottom: 1px solid var(--line); }
  .site-header a { color: inherit; text-decoration: none; }
  .logo { font-weight: 700; letter-spacing: -0.01em; }
  .logo span { color: var(--brand); }
  .site-header nav { margin-left: auto; display: flex; gap: 1rem; font-size: 0.9rem; }
  .site-header nav a { color: var(--muted); }
  .demo-note { background: #fef3c7; color: #78350f; font-size: 0.85rem; padding: 0.45rem 1.5rem; border-bottom: 1px solid #fde68a; }
  main { max-width: ${wide ? 'none' : '60rem'}; margin: 0 auto; padding: 1.5rem; }
  h1 { font-size: 1.5rem; margin: 0 0 0.5rem; }
  p.lead { color: var(--muted); margin-top: 0; }
  .card { background: #fff; border: 1px solid var(--line); border-radius: 12px; padding: 1.25rem 1.5rem; }
  label { font-weight: 600; display: block; margin-bottom: 0.35rem; }
  input { font: inherit; padding: 0.5rem 0.7rem; border: 1px solid #d1d5db; border-radius: 8px; width: 16rem; max-width: 100%; }
  .button { font: inherit; display: inline-block; background: var(--brand); color: #fff; border: 0; border-radius: 8px; padding: 0.55rem 1.1rem; text-decoration: none; cursor: pointer; }
  .button.secondary { background: #fff; color: var(--ink); border: 1px solid #d1d5db; }
  .error { color: #b91c1c; }
  code { background: #f3f4f6; padding: 0.1em 0.35em; border-radius: 4px; }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
</style>
<script type="module" src="/assets/proctorkit-elements.js"></script>
</head>
<body>
<header class="site-header">
  <a class="logo" href="/">Demo <span>Exam</span> Site</a>
  <nav><a href="/">Home</a><a href="/supervisor">Supervisor</a><a href="/review">Review</a><a href="/webhooks">Webhooks</a></nav>
</header>
<div class="demo-note" role="note"><strong>Demo only:</strong> these pages issue their own Proctorkit tokens with no login. A real exam site issues them after its own login.</div>
<main>
${body}
</main>
</body>
</html>`;
}
