import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useForm } from 'react-hook-form';
import { ErrorMessage } from '../../components/error-message';
import { Button } from '../../components/ui/button';
import { Input } from '../../components/ui/input';
import { Field } from '../../components/ui/label';
import { taskgate } from '../../lib/api';
import { AuthCard } from './auth-card';
import { sessionQuery } from './session';

interface RegisterForm {
  name: string;
  email: string;
  password: string;
}

export function RegisterPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const form = useForm<RegisterForm>({ defaultValues: { name: '', email: '', password: '' } });
  const register = useMutation({
    mutationFn: async (values: RegisterForm) => {
      await taskgate.auth.register(values);
      return taskgate.auth.login({ email: values.email, password: values.password });
    },
    onSuccess: async ({ user }) => {
      queryClient.setQueryData(sessionQuery.queryKey, { user });
      await navigate({ to: '/' });
    },
  });
  const { errors } = form.formState;
  return (
    <AuthCard
      title="Create your account"
      footer={
        <>
          Already have one?{' '}
          <Link to="/login" className="font-medium text-foreground underline">
            Sign in
          </Link>
        </>
      }
    >
      <form className="grid gap-4" noValidate onSubmit={form.handleSubmit((values) => register.mutate(values))}>
        <Field id="name" label="Name" error={errors.name?.message}>
          <Input id="name" autoComplete="name" aria-invalid={!!errors.name} {...form.register('name', { required: 'Enter your name' })} />
        </Field>
        <Field id="email" label="Email" error={errors.email?.message}>
          <Input
            id="email"
            type="email"
            autoComplete="email"
            aria-invalid={!!errors.email}
            {...form.register('email', { required: 'Enter your email' })}
          />
        </Field>
        <Field id="password" label="Password" hint="At least 8 characters" error={errors.password?.message}>
          <Input
            id="password"
            type="password"
            autoComplete="new-password"
            aria-invalid={!!errors.password}
            {...form.register('password', { required: 'Choose a password', minLength: { value: 8, message: 'Use at least 8 characters' } })}
          />
        </Field>
        <ErrorMessage error={register.error} />
        <Button type="submit" disabled={register.isPending}>
          {register.isPending ? 'Creating…' : 'Create account'}
        </Button>
      </form>
    </AuthCard>
  );
}
