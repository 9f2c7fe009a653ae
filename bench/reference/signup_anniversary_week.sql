-- variant: month-day
-- the anniversary falls on 30 June .. 6 July 2024 (today and the next 6 days), and the customer
-- is at least a year old today: signed up on or before 30 June 2023
SELECT customer_id FROM customers
WHERE month(signup_date) * 100 + day(signup_date) BETWEEN 630 AND 706
  AND signup_date <= DATE '2023-06-30'
ORDER BY customer_id
