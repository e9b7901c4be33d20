/** React: the form is mounted in an effect, and the effect's cleanup is mount's own unmount. */
import { type FormConfig, mount } from '@leadkit/form';
import { StrictMode, useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { ENDPOINT } from './config.js';

function LeadForm({ config, endpoint }: { config: FormConfig; endpoint: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => mount(ref.current!, config, { endpoint }), [config, endpoint]);
  return <div ref={ref} />;
}

const contact: FormConfig = {
  id: 'react-contact',
  title: 'Talk to us',
  fields: [
    { name: 'name', type: 'text', label: 'Full name', required: true },
    { name: 'email', type: 'email', label: 'Work email', required: true },
    { name: 'consent', type: 'consent', label: 'You may contact me about my request', required: true },
  ],
};

function App() {
  const [shown, setShown] = useState(true);
  return (
    <>
      <h1>Contact us (React)</h1>
      <p>
        A React component mounts the Leadkit form in an effect. <a href="./">Back to the signup page</a>.
      </p>
      <button type="button" onClick={() => setShown(!shown)}>
        {shown ? 'Hide the form' : 'Show the form'}
      </button>
      {shown && <LeadForm config={contact} endpoint={ENDPOINT} />}
    </>
  );
}

// In development StrictMode runs each effect twice (mount, unmount, mount): one form remains.
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
