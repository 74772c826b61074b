/** The address fields both checkout and the address book use; names match the API's fields. */
export interface AddressInput {
  first_name: string;
  last_name: string;
  line1: string;
  line2: string;
  city: string;
  postal_code: string;
  country: string;
}

export const emptyAddress: AddressInput = {
  first_name: '',
  last_name: '',
  line1: '',
  line2: '',
  city: '',
  postal_code: '',
  country: 'DE',
};

export const COUNTRIES: Array<[string, string]> = [
  ['AT', 'Austria'],
  ['BE', 'Belgium'],
  ['CH', 'Switzerland'],
  ['DE', 'Germany'],
  ['DK', 'Denmark'],
  ['ES', 'Spain'],
  ['FI', 'Finland'],
  ['FR', 'France'],
  ['GB', 'United Kingdom'],
  ['IE', 'Ireland'],
  ['IT', 'Italy'],
  ['NL', 'Netherlands'],
  ['NO', 'Norway'],
  ['PL', 'Poland'],
  ['PT', 'Portugal'],
  ['SE', 'Sweden'],
  ['US', 'United States'],
];

/** The API wants absent optional fields as null, never as empty strings. */
export function toApiAddress(address: AddressInput) {
  const orNull = (value: string) => (value.trim() === '' ? null : value.trim());
  return {
    first_name: orNull(address.first_name),
    last_name: orNull(address.last_name),
    line1: address.line1.trim(),
    line2: orNull(address.line2),
    city: address.city.trim(),
    postal_code: orNull(address.postal_code),
    country: address.country,
  };
}

export function AddressFields({
  idPrefix,
  value,
  onChange,
}: {
  idPrefix: string;
  value: AddressInput;
  onChange: (next: AddressInput) => void;
}) {
  const field = (
    name: keyof AddressInput,
    label: string,
    options: { required?: boolean; autoComplete?: string } = {},
  ) => (
    <div class="field">
      <label for={`${idPrefix}-${name}`}>
        {label}
        {options.required && <span aria-hidden="true"> *</span>}
      </label>
      <input
        id={`${idPrefix}-${name}`}
        name={name}
        required={options.required}
        autoComplete={options.autoComplete}
        value={value[name]}
        onInput={(event) => onChange({ ...value, [name]: event.currentTarget.value })}
      />
    </div>
  );
  return (
    <div class="address-fields">
      {field('first_name', 'First name', { required: true, autoComplete: 'given-name' })}
      {field('last_name', 'Last name', { required: true, autoComplete: 'family-name' })}
      {field('line1', 'Street and number', { required: true, autoComplete: 'address-line1' })}
      {field('line2', 'Apartment, suite (optional)', { autoComplete: 'address-line2' })}
      {field('postal_code', 'Postal code', { required: true, autoComplete: 'postal-code' })}
      {field('city', 'City', { required: true, autoComplete: 'address-level2' })}
      <div class="field">
        <label for={`${idPrefix}-country`}>Country *</label>
        <select
          id={`${idPrefix}-country`}
          name="country"
          autoComplete="country"
          value={value.country}
          onChange={(event) => onChange({ ...value, country: event.currentTarget.value })}
        >
          {COUNTRIES.map(([code, name]) => (
            <option key={code} value={code}>
              {name}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
