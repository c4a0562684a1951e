// Dev-only entry: the app over a mocked backend (see mock-backend.ts).
import './mock-backend';
import '../main';
