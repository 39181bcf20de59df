import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useForm } from 'react-hook-form';
import { ErrorMessage } from '../../components/error-message';
import { Button } from '../../components/ui/button';
import { Input } from '../../components/ui/input';
import { Field } from '../../components/ui/label';
import { taskgate } from '../../lib/api';
import { AuthCard } from './auth-card';
import { sessionQuery } from './session';

interface LoginForm {
  email: string;
  password: string;
}

/** Only a path of this site: a redirect parameter must never send someone elsewhere. */
function safeRedirect(target: string | undefined): string {
  return target?.startsWith('/') && !target.startsWith('//') ? target : '/';
}

export function LoginPage() {
  const search = useSearch({ from: '/login' });
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const form = useForm<LoginForm>({ defaultValues: { email: '', password: '' } });
  const signIn = useMutation({
    mutationFn: (values: LoginForm) => taskgate.auth.login(values),
    onSuccess: async ({ user }) => {
      // The router reads the session from the cache: it must say who signed in before navigating.
      queryClient.setQueryData(sessionQuery.queryKey, { user });
      await navigate({ to: safeRedirect(search.redirect) });
    },
  });
  const { errors } = form.formState;
  return (
    <AuthCard
      title="Sign in"
      footer={
        <>
          New here?{' '}
          <Link to="/register" className="font-medium text-foreground underline">
            Create an account
          </Link>
        </>
      }
    >
      <form className="grid gap-4" noValidate onSubmit={form.handleSubmit((values) => signIn.mutate(values))}>
        <Field id="email" label="Email" error={errors.email?.message}>
          <Input
            id="email"
            type="email"
            autoComplete="username"
            aria-invalid={!!errors.email}
            {...form.register('email', { required: 'Enter your email' })}
          />
        </Field>
        <Field id="password" label="Password" error={errors.password?.message}>
          <Input
            id="password"
            type="password"
            autoComplete="current-password"
            aria-invalid={!!errors.password}
            {...form.register('password', { required: 'Enter your password' })}
          />
        </Field>
        <ErrorMessage error={signIn.error} />
        <Button type="submit" disabled={signIn.isPending}>
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </Button>
      </form>
    </AuthCard>
  );
}
