import * as api from './api.js';
import {el, banner} from './dom.js';

/** The login page: the admin user of the cluster (admin.username / admin.password). */
export function render(view, next) {
  const username = el('input', {id: 'username', name: 'username', autocomplete: 'username', required: true});
  const password = el('input', {id: 'password', name: 'password', type: 'password',
    autocomplete: 'current-password', required: true});
  const error = el('p', {id: 'login-error', class: 'muted'});
  const submit = el('button', {id: 'login-submit', type: 'submit', class: 'primary', text: 'Log in'});
  const form = el('form', {class: 'login card', id: 'login-form'},
    el('h1', {text: 'Log in'}),
    el('p', {class: 'muted', text: 'Administrator of this Tessera cluster.'}),
    el('label', {}, 'User name', username),
    el('label', {}, 'Password', password),
    error, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    error.textContent = '';
    try {
      await api.login(username.value, password.value);
      banner(null, null);
      window.location.hash = next || '#/cluster';
    } catch (e) {
      error.textContent = e.message;
      submit.disabled = false;
    }
  });
  view.appendChild(form);
  username.focus();
  return () => {};
}
